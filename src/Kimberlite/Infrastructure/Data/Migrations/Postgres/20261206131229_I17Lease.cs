using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
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
                type: "timestamp with time zone",
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
