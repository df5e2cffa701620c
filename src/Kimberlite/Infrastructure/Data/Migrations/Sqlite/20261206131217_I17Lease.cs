using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class I17Lease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ExtractionLeaseUntilUtc",
                table: "Documents",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExtractionLeaseUntilUtc",
                table: "Documents");
        }
    }
}
