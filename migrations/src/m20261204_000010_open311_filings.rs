//! Help requests filed through Open311 by a key holder (a city hotline, a partner) for a
//! caller: where they came from, the address as given, and the caller's contact (encrypted).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HelpRequests {
    Table,
    /// `open311` for key-holder filings; null for the app.
    Source,
    /// Open311 `address_string` (or `address_id`) when no coordinates were given.
    AddressText,
    CallerName,
    CallerPhoneEnc,
    CallerEmailEnc,
}

fn columns() -> [ColumnDef; 5] {
    [
        ColumnDef::new(HelpRequests::Source)
            .string_len(16)
            .null()
            .to_owned(),
        ColumnDef::new(HelpRequests::AddressText)
            .string_len(200)
            .null()
            .to_owned(),
        ColumnDef::new(HelpRequests::CallerName)
            .string_len(80)
            .null()
            .to_owned(),
        ColumnDef::new(HelpRequests::CallerPhoneEnc)
            .text()
            .null()
            .to_owned(),
        ColumnDef::new(HelpRequests::CallerEmailEnc)
            .text()
            .null()
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for mut col in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpRequests::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            HelpRequests::CallerEmailEnc,
            HelpRequests::CallerPhoneEnc,
            HelpRequests::CallerName,
            HelpRequests::AddressText,
            HelpRequests::Source,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpRequests::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
