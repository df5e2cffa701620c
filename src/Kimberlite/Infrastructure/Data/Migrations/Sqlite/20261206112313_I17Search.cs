using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class I17Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // --- custom SQL (I17Search): FTS5 over DocumentPages.Terms, kept in step by triggers (docs/decisions/033-search.md) ---
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "DocumentPagesFts" USING fts5("Terms", content='DocumentPages', content_rowid='Id', detail='none');
                CREATE TRIGGER "DocumentPages_Fts_Insert" AFTER INSERT ON "DocumentPages" BEGIN
                    INSERT INTO "DocumentPagesFts"(rowid, "Terms") VALUES (new."Id", new."Terms");
                END;
                CREATE TRIGGER "DocumentPages_Fts_Delete" AFTER DELETE ON "DocumentPages" BEGIN
                    INSERT INTO "DocumentPagesFts"("DocumentPagesFts", rowid, "Terms") VALUES ('delete', old."Id", old."Terms");
                END;
                CREATE TRIGGER "DocumentPages_Fts_Update" AFTER UPDATE ON "DocumentPages" BEGIN
                    INSERT INTO "DocumentPagesFts"("DocumentPagesFts", rowid, "Terms") VALUES ('delete', old."Id", old."Terms");
                    INSERT INTO "DocumentPagesFts"(rowid, "Terms") VALUES (new."Id", new."Terms");
                END;
                INSERT INTO "DocumentPagesFts"("DocumentPagesFts") VALUES ('rebuild');
                """);
            // --- end of custom SQL ---
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // --- custom SQL (I17Search) ---
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "DocumentPages_Fts_Update";
                DROP TRIGGER IF EXISTS "DocumentPages_Fts_Delete";
                DROP TRIGGER IF EXISTS "DocumentPages_Fts_Insert";
                DROP TABLE IF EXISTS "DocumentPagesFts";
                """);
            // --- end of custom SQL ---
        }
    }
}
