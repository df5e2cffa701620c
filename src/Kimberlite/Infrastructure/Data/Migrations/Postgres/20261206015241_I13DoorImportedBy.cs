using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I13DoorImportedBy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AnalysedAtUtc",
                table: "Datasets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportedBy",
                table: "Datasets",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImportedByOrganisationId",
                table: "Datasets",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_ImportedByOrganisationId",
                table: "Datasets",
                column: "ImportedByOrganisationId");

            migrationBuilder.AddForeignKey(
                name: "FK_Datasets_Organisations_ImportedByOrganisationId",
                table: "Datasets",
                column: "ImportedByOrganisationId",
                principalTable: "Organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Datasets_Organisations_ImportedByOrganisationId",
                table: "Datasets");

            migrationBuilder.DropIndex(
                name: "IX_Datasets_ImportedByOrganisationId",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "AnalysedAtUtc",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ImportedBy",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ImportedByOrganisationId",
                table: "Datasets");
        }
    }
}
