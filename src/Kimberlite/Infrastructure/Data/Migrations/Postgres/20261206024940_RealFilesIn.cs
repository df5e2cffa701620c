using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RealFilesIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ReleasedAt",
                table: "Figures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ValueNotReported",
                table: "Figures",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "AnalysedAtUtc",
                table: "Datasets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Encoding",
                table: "Datasets",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportedBy",
                table: "Datasets",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImportedByOrganisationId",
                table: "Datasets",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Sheet",
                table: "Datasets",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FieldRevisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IncidentId = table.Column<int>(type: "integer", nullable: true),
                    SiteVisitId = table.Column<int>(type: "integer", nullable: true),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReplacedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    SubmissionHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Content = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    ReplacedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FieldRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FieldRevisions_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_FieldRevisions_SiteVisits_SiteVisitId",
                        column: x => x.SiteVisitId,
                        principalTable: "SiteVisits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_ImportedByOrganisationId",
                table: "Datasets",
                column: "ImportedByOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_FieldRevisions_ClientId",
                table: "FieldRevisions",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FieldRevisions_IncidentId",
                table: "FieldRevisions",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_FieldRevisions_ReplacedBy",
                table: "FieldRevisions",
                column: "ReplacedBy");

            migrationBuilder.CreateIndex(
                name: "IX_FieldRevisions_SiteVisitId",
                table: "FieldRevisions",
                column: "SiteVisitId");

            migrationBuilder.AddForeignKey(
                name: "FK_Datasets_Organisations_ImportedByOrganisationId",
                table: "Datasets",
                column: "ImportedByOrganisationId",
                principalTable: "Organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Datasets_Organisations_ImportedByOrganisationId",
                table: "Datasets");

            migrationBuilder.DropTable(
                name: "FieldRevisions");

            migrationBuilder.DropIndex(
                name: "IX_Datasets_ImportedByOrganisationId",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ReleasedAt",
                table: "Figures");

            migrationBuilder.DropColumn(
                name: "ValueNotReported",
                table: "Figures");

            migrationBuilder.DropColumn(
                name: "AnalysedAtUtc",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "Encoding",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ImportedBy",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ImportedByOrganisationId",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "Sheet",
                table: "Datasets");
        }
    }
}
