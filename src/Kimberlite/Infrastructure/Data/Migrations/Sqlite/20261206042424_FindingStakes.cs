using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FindingStakes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "StakeCarats",
                table: "Findings",
                type: "TEXT",
                precision: 28,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "StakeUsd",
                table: "Findings",
                type: "TEXT",
                precision: 28,
                scale: 6,
                nullable: true);
            // Every finding is weighed again at the next start: the analysis of a dataset not marked analysed runs then.
            migrationBuilder.Sql("UPDATE \"Datasets\" SET \"AnalysedAtUtc\" = NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StakeCarats",
                table: "Findings");

            migrationBuilder.DropColumn(
                name: "StakeUsd",
                table: "Findings");
        }
    }
}
