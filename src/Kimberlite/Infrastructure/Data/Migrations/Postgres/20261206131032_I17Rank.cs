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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PageTerms");

            migrationBuilder.DropColumn(
                name: "WordCount",
                table: "DocumentPages");
        }
    }
}
