using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TradeTotalsBlocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The totals are made from the stored records: DatabaseInitializer makes them again in blocks at start.
            migrationBuilder.DropTable(
                name: "TradeFlowTotals");

            migrationBuilder.CreateTable(
                name: "TradeTotalsBlocks",
                columns: table => new
                {
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                    Part = table.Column<int>(type: "INTEGER", nullable: false),
                    Layout = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Data = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TradeTotalsBlocks", x => new { x.DatasetId, x.Part });
                    table.ForeignKey(
                        name: "FK_TradeTotalsBlocks_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TradeTotalsBlocks");

            migrationBuilder.CreateTable(
                name: "TradeFlowTotals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Carats = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                    FlowCode = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    PartnerIso3 = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Records = table.Column<int>(type: "INTEGER", nullable: false),
                    ReporterIso3 = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Subheadings = table.Column<bool>(type: "INTEGER", nullable: false),
                    Usd = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    Year = table.Column<int>(type: "INTEGER", nullable: false)
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

            // The totals as the version before kept them, made again from the records.
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
    }
}
