using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ValueNotReported",
                table: "Figures",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "AnalysedAtUtc",
                table: "Datasets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Encoding",
                table: "Datasets",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportedBy",
                table: "Datasets",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            // SQLite adds a column with its foreign key in place; EF Core's AddForeignKey would rebuild the table
            // outside any transaction, with foreign keys off (warning 20410 at every new database's first start).
            migrationBuilder.Sql("""ALTER TABLE "Datasets" ADD COLUMN "ImportedByOrganisationId" INTEGER NULL CONSTRAINT "FK_Datasets_Organisations_ImportedByOrganisationId" REFERENCES "Organisations" ("Id") ON DELETE SET NULL;""");

            migrationBuilder.AddColumn<string>(
                name: "Sheet",
                table: "Datasets",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FieldRevisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IncidentId = table.Column<int>(type: "INTEGER", nullable: true),
                    SiteVisitId = table.Column<int>(type: "INTEGER", nullable: true),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReplacedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubmissionHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Content = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    ReplacedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
