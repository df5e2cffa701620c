using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TradeFlows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TradeFlows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    Line = table.Column<int>(type: "integer", nullable: false),
                    ReporterIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    PartnerIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    PartnerIsAggregate = table.Column<bool>(type: "boolean", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: true),
                    FlowCode = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    CommodityCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    QtyUnit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Qty = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    Carats = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    NetWeightKg = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    PrimaryValue = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    CifValue = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    FobValue = table.Column<decimal>(type: "numeric(24,4)", precision: 24, scale: 4, nullable: true),
                    IsReported = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TradeFlows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TradeFlows_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TradeFlows_DatasetId",
                table: "TradeFlows",
                column: "DatasetId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TradeFlows");
        }
    }
}
