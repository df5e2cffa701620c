using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FindingsAnAnalystCanSign : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "StakeCarats",
                table: "Findings",
                type: "numeric(28,6)",
                precision: 28,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "StakeUsd",
                table: "Findings",
                type: "numeric(28,6)",
                precision: 28,
                scale: 6,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LabelMeanings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Label = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    CountryIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    Value = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    SetBy = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    SetAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UndoneBy = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    UndoneAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LabelMeanings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalRates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CountryIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Instrument = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RatePercent = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: false),
                    InForceFrom = table.Column<int>(type: "integer", nullable: false),
                    InForceTo = table.Column<int>(type: "integer", nullable: true),
                    Source = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Publisher = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    AsPublished = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AddedBy = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    AddedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalRates", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LabelMeanings_Kind_Label",
                table: "LabelMeanings",
                columns: new[] { "Kind", "Label" });

            migrationBuilder.CreateIndex(
                name: "IX_LegalRates_CountryIso3_Instrument_InForceFrom",
                table: "LegalRates",
                columns: new[] { "CountryIso3", "Instrument", "InForceFrom" },
                unique: true);
            // Every finding is weighed again, and read through the new rules, at the next start: the analysis of a dataset not marked analysed runs then.
            migrationBuilder.Sql("UPDATE \"Datasets\" SET \"AnalysedAtUtc\" = NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LabelMeanings");

            migrationBuilder.DropTable(
                name: "LegalRates");

            migrationBuilder.DropColumn(
                name: "StakeCarats",
                table: "Findings");

            migrationBuilder.DropColumn(
                name: "StakeUsd",
                table: "Findings");
        }
    }
}
