using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>Trade records without their stored carats (derived from quantity and unit) and without an index on their dataset (docs/decisions/013-lean-trade-records.md).</summary>
    public partial class LeanTradeFlows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TradeFlows_DatasetId",
                table: "TradeFlows");

            // SQLite's own DROP COLUMN, inside the migration's transaction: EF Core would rebuild the table with
            // foreign keys off, outside any transaction, copying millions of records.
            migrationBuilder.Sql("""ALTER TABLE "TradeFlows" DROP COLUMN "Carats";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "Carats",
                table: "TradeFlows",
                type: "TEXT",
                precision: 24,
                scale: 4,
                nullable: true);

            // The carats a record held before they were derived from its quantity and unit.
            migrationBuilder.Sql("""UPDATE "TradeFlows" SET "Carats" = "Qty" WHERE lower("QtyUnit") IN ('carat', 'carats', 'ct', 'crt')""");

            migrationBuilder.CreateIndex(
                name: "IX_TradeFlows_DatasetId",
                table: "TradeFlows",
                column: "DatasetId");
        }
    }
}
