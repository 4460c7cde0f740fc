//! China's statutory public holidays (`PH` in opening hours), one row per year as published by
//! the State Council, with the notice it came from. Shipped years load on start; later years
//! are imported (CLI or admin API).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HolidayYears {
    Table,
    Year,
    /// The notice's title and number, e.g. 国务院办公厅关于2026年部分节假日安排的通知.
    Source,
    SourceUrl,
    /// JSON array of `{date, festival, name}`.
    Days,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HolidayYears::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(HolidayYears::Year)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(HolidayYears::Source)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(HolidayYears::SourceUrl)
                            .string_len(300)
                            .null(),
                    )
                    .col(ColumnDef::new(HolidayYears::Days).text().not_null())
                    .col(
                        ColumnDef::new(HolidayYears::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HolidayYears::Table).to_owned())
            .await
    }
}
