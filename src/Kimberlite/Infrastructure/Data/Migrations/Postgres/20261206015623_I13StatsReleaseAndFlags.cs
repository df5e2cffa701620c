using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I13StatsReleaseAndFlags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ReleasedAt",
                table: "Figures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ValueNotReported",
                table: "Figures",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Encoding",
                table: "Datasets",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Sheet",
                table: "Datasets",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReleasedAt",
                table: "Figures");

            migrationBuilder.DropColumn(
                name: "ValueNotReported",
                table: "Figures");

            migrationBuilder.DropColumn(
                name: "Encoding",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "Sheet",
                table: "Datasets");
        }
    }
}
