using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kimberlite.Infrastructure.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                    Line = table.Column<int>(type: "INTEGER", nullable: false),
                    ReporterIso3 = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    PartnerIso3 = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    PartnerIsAggregate = table.Column<bool>(type: "INTEGER", nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: true),
                    FlowCode = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    CommodityCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    QtyUnit = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Qty = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    Carats = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    NetWeightKg = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    PrimaryValue = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    CifValue = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    FobValue = table.Column<decimal>(type: "TEXT", precision: 24, scale: 4, nullable: true),
                    IsReported = table.Column<bool>(type: "INTEGER", nullable: true)
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
