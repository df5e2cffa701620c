using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    ReporterIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    PartnerIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    FlowCode = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Subheadings = table.Column<bool>(type: "boolean", nullable: false),
                    Records = table.Column<int>(type: "integer", nullable: false),
                    Carats = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    Usd = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true)
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

            // Files imported before totals were kept: their totals, computed once from their records.
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TradeFlowTotals");
        }
    }
}
