using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I17Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // --- custom SQL (I17Search): GIN over the pages' terms read by the 'simple' configuration (docs/decisions/033-search.md) ---
            migrationBuilder.Sql("""CREATE INDEX "IX_DocumentPages_Terms_Search" ON "DocumentPages" USING GIN (to_tsvector('simple'::regconfig, "Terms"));""");
            // --- end of custom SQL ---
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // --- custom SQL (I17Search) ---
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_DocumentPages_Terms_Search";""");
            // --- end of custom SQL ---
        }
    }
}
