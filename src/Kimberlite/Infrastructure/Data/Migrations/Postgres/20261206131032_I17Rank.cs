using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
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
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "PageTerms",
                columns: table => new
                {
                    PageId = table.Column<long>(type: "bigint", nullable: false),
                    Term = table.Column<string>(type: "character varying(240)", maxLength: 240, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
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
            // --- custom SQL (I17Rank): the terms' tsvector stored, so that a page filtered by a query that joins it to other
            // tables costs a read, not an analysis of its terms; text, terms and vector kept out of the row (TOAST), so that
            // the pages a search reads are a hundred bytes each, not a block (docs/decisions/033-search.md) ---
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_DocumentPages_Terms_Search";
                ALTER TABLE "DocumentPages" ADD COLUMN "TermsVector" tsvector GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, "Terms"))) STORED;
                CREATE INDEX "IX_DocumentPages_TermsVector" ON "DocumentPages" USING GIN ("TermsVector");
                ALTER TABLE "DocumentPages" SET (toast_tuple_target = 128);
                """);
            // --- end of custom SQL ---
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // --- custom SQL (I17Rank) ---
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_DocumentPages_TermsVector";
                ALTER TABLE "DocumentPages" RESET (toast_tuple_target);
                ALTER TABLE "DocumentPages" DROP COLUMN IF EXISTS "TermsVector";
                CREATE INDEX "IX_DocumentPages_Terms_Search" ON "DocumentPages" USING GIN (to_tsvector('simple'::regconfig, "Terms"));
                """);
            // --- end of custom SQL ---
            migrationBuilder.DropTable(
                name: "PageTerms");

            migrationBuilder.DropColumn(
                name: "WordCount",
                table: "DocumentPages");
        }
    }
}
