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
            // SQLite adds a column with its foreign key in place; EF Core's AddForeignKey would rebuild the table
            // outside any transaction, with foreign keys off (warning 20410 at every new database's first start).
            migrationBuilder.Sql("""ALTER TABLE "MiningSites" ADD COLUMN "OrganisationId" INTEGER NULL CONSTRAINT "FK_MiningSites_Organisations_OrganisationId" REFERENCES "Organisations" ("Id") ON DELETE RESTRICT;""");

            migrationBuilder.CreateIndex(
                name: "IX_MiningSites_OrganisationId_CountryIso3_Name_Latitude_Longitude",
                table: "MiningSites",
                columns: new[] { "OrganisationId", "CountryIso3", "Name", "Latitude", "Longitude" },
                unique: true);
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
