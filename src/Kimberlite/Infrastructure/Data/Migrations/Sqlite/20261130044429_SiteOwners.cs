using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SiteOwners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "OrganisationId",
                table: "MiningSites",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_MiningSites_OrganisationId_CountryIso3_Name_Latitude_Longitude",
                table: "MiningSites",
                columns: new[] { "OrganisationId", "CountryIso3", "Name", "Latitude", "Longitude" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_MiningSites_Organisations_OrganisationId",
                table: "MiningSites",
                column: "OrganisationId",
                principalTable: "Organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MiningSites_Organisations_OrganisationId",
                table: "MiningSites");

            migrationBuilder.DropIndex(
                name: "IX_MiningSites_OrganisationId_CountryIso3_Name_Latitude_Longitude",
                table: "MiningSites");

            migrationBuilder.DropColumn(
                name: "OrganisationId",
                table: "MiningSites");
        }
    }
}
