using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
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
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    Part = table.Column<int>(type: "integer", nullable: false),
                    Layout = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    Data = table.Column<byte[]>(type: "bytea", nullable: false)
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

            // Megabytes of packed numbers a block: stored as they are, without trying to compress them.
            migrationBuilder.Sql("ALTER TABLE \"TradeTotalsBlocks\" ALTER COLUMN \"Data\" SET STORAGE EXTERNAL;");
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Carats = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    FlowCode = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    PartnerIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Records = table.Column<int>(type: "integer", nullable: false),
                    ReporterIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Subheadings = table.Column<bool>(type: "boolean", nullable: false),
                    Usd = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    Year = table.Column<int>(type: "integer", nullable: false)
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
                       CASE WHEN count("Carats") = count(*) THEN sum("Carats") END,
                       CASE WHEN count("PrimaryValue") = count(*) THEN sum("PrimaryValue") END
                FROM "TradeFlows"
                WHERE "Month" IS NULL AND NOT "PartnerIsAggregate" AND "FlowCode" IN ('X', 'M')
                GROUP BY "DatasetId", "ReporterIso3", "PartnerIso3", "FlowCode", "Year", length("CommodityCode") > 4
                """);
        }
    }
}
