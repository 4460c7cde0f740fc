use sea_orm_migration::prelude::*;

use super::m20261122_000001_create_regions::Regions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Role,
    PhoneEnc,
    PhoneHash,
    PasswordHash,
    DisplayName,
    Locale,
    StationId,
    RegionCode,
    TokenVersion,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Users::Role).string_len(16).not_null())
                    // Phone is personal data: encrypted, and found by a keyed hash.
                    .col(ColumnDef::new(Users::PhoneEnc).string_len(128).not_null())
                    .col(
                        ColumnDef::new(Users::PhoneHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Users::PasswordHash)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Users::DisplayName).string_len(64).not_null())
                    .col(ColumnDef::new(Users::Locale).string_len(8).not_null())
                    // Stations arrive in a later migration; the link is checked by the app.
                    .col(ColumnDef::new(Users::StationId).uuid().null())
                    .col(ColumnDef::new(Users::RegionCode).string_len(12).null())
                    .col(
                        ColumnDef::new(Users::TokenVersion)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(Users::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Users::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_region")
                            .from(Users::Table, Users::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_users_station", Users::StationId),
            ("idx_users_region", Users::RegionCode),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Users::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}
