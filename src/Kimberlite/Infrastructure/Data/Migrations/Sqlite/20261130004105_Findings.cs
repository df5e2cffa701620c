using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Findings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Findings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Rule = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    CountryIso3 = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    PartnerIso3 = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    Year = table.Column<int>(type: "INTEGER", nullable: true),
                    PeriodText = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Metric = table.Column<int>(type: "INTEGER", nullable: false),
                    Measure = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Observed = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: false),
                    Expected = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: false),
                    ExpectedLow = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: true),
                    ExpectedHigh = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: true),
                    Gap = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: false),
                    GapPercent = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: false),
                    TolerancePercent = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: false),
                    RevenueLost = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: true),
                    RatePct = table.Column<decimal>(type: "TEXT", precision: 28, scale: 6, nullable: true),
                    RateSource = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Severity = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusNote = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Resolved = table.Column<bool>(type: "INTEGER", nullable: false),
                    Inputs = table.Column<string>(type: "TEXT", nullable: false),
                    InputsHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RaisedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Findings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FindingEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FindingId = table.Column<int>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Before = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FindingEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FindingEvents_Findings_FindingId",
                        column: x => x.FindingId,
                        principalTable: "Findings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FindingEvents_FindingId",
                table: "FindingEvents",
                column: "FindingId");

            migrationBuilder.CreateIndex(
                name: "IX_Findings_CountryIso3_Year",
                table: "Findings",
                columns: new[] { "CountryIso3", "Year" });

            migrationBuilder.CreateIndex(
                name: "IX_Findings_Rule_Key",
                table: "Findings",
                columns: new[] { "Rule", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FindingEvents");

            migrationBuilder.DropTable(
                name: "Findings");
        }
    }
}
