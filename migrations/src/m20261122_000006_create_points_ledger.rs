use sea_orm_migration::prelude::*;

use super::m20261122_000002_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PointsLedger {
    Table,
    Id,
    RiderId,
    Delta,
    Reason,
    Source,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PointsLedger::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(PointsLedger::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PointsLedger::RiderId).uuid().not_null())
                    .col(ColumnDef::new(PointsLedger::Delta).big_integer().not_null())
                    .col(
                        ColumnDef::new(PointsLedger::Reason)
                            .string_len(32)
                            .not_null(),
                    )
                    // What paid or was paid for, e.g. `lesson:{slug}` or `checkin:{station}:{day}`:
                    // unique per rider (index below), so one source never pays a rider twice.
                    .col(
                        ColumnDef::new(PointsLedger::Source)
                            .string_len(160)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PointsLedger::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PointsLedger::Table, PointsLedger::RiderId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_points_ledger_rider_source")
                    .table(PointsLedger::Table)
                    .col(PointsLedger::RiderId)
                    .col(PointsLedger::Source)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_points_ledger_rider_created")
                    .table(PointsLedger::Table)
                    .col(PointsLedger::RiderId)
                    .col(PointsLedger::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PointsLedger::Table).to_owned())
            .await
    }
}
