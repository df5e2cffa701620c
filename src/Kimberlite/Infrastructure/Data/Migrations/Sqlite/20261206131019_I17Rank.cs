using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class I17Rank : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "WordCount",
                table: "DocumentPages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "PageTerms",
                columns: table => new
                {
                    PageId = table.Column<long>(type: "INTEGER", nullable: false),
                    Term = table.Column<string>(type: "TEXT", maxLength: 240, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PageTerms", x => new { x.Term, x.PageId });
                    table.ForeignKey(
                        name: "FK_PageTerms_DocumentPages_PageId",
                        column: x => x.PageId,
                        principalTable: "DocumentPages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PageTerms_PageId",
                table: "PageTerms",
                column: "PageId");

            // --- custom SQL (I17Rank): what ranking reads of a candidate page, in an index, so that SQLite does not walk the
            // page's text and terms (overflow pages) to reach its word count, written after them (docs/decisions/033-search.md) ---
            migrationBuilder.Sql("""CREATE INDEX "IX_DocumentPages_Ranking" ON "DocumentPages" ("Id", "DocumentId", "Number", "WordCount");""");
            // --- end of custom SQL ---
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // --- custom SQL (I17Rank) ---
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_DocumentPages_Ranking";""");
            // --- end of custom SQL ---
            migrationBuilder.DropTable(
                name: "PageTerms");

            migrationBuilder.DropColumn(
                name: "WordCount",
                table: "DocumentPages");
        }
    }
}
