using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TradeFlowTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TradeFlowTotals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReporterIso3 = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    PartnerIso3 = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    FlowCode = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Subheadings = table.Column<bool>(type: "INTEGER", nullable: false),
                    Records = table.Column<int>(type: "INTEGER", nullable: false),
                    Carats = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    Usd = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TradeFlowTotals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TradeFlowTotals_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TradeFlowTotals_DatasetId",
                table: "TradeFlowTotals",
                column: "DatasetId");

            // Files imported before totals were kept: their totals, computed once from their records (SQLite sums text decimals as doubles, rounded back to the column's four decimals).
            migrationBuilder.Sql("""
                INSERT INTO "TradeFlowTotals" ("DatasetId", "ReporterIso3", "PartnerIso3", "FlowCode", "Year", "Subheadings", "Records", "Carats", "Usd")
                SELECT "DatasetId", "ReporterIso3", "PartnerIso3", "FlowCode", "Year", length("CommodityCode") > 4, count(*),
                       CASE WHEN count("Carats") = count(*) THEN CAST(round(sum(CAST("Carats" AS REAL)), 4) AS TEXT) END,
                       CASE WHEN count("PrimaryValue") = count(*) THEN CAST(round(sum(CAST("PrimaryValue" AS REAL)), 4) AS TEXT) END
                FROM "TradeFlows"
                WHERE "Month" IS NULL AND NOT "PartnerIsAggregate" AND "FlowCode" IN ('X', 'M')
                GROUP BY "DatasetId", "ReporterIso3", "PartnerIso3", "FlowCode", "Year", length("CommodityCode") > 4
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TradeFlowTotals");
        }
    }
}
