use sea_orm_migration::prelude::*;

use super::m20261122_000002_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Stations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum HelpRequests {
    Table,
    Id,
    RiderId,
    Category,
    Urgency,
    Description,
    Lat,
    Lng,
    StationId,
    StreetCode,
    DistrictCode,
    CityCode,
    Tier,
    Status,
    AssigneeId,
    DueAt,
    AcceptDueAt,
    ResolveDueAt,
    BreachNoted,
    ResolvedAt,
    ReopenCount,
    Rating,
    FeedbackComment,
    FeedbackAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HelpEvents {
    Table,
    Id,
    RequestId,
    At,
    ActorId,
    ActorRole,
    Kind,
    FromStatus,
    ToStatus,
    Tier,
    Note,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    UserId,
    Scope,
    Key,
    RequestHash,
    Status,
    ResponseBody,
    CreatedAt,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HelpRequests::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(HelpRequests::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(HelpRequests::RiderId).uuid().not_null())
                    .col(
                        ColumnDef::new(HelpRequests::Category)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequests::Urgency)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(HelpRequests::Description).text().not_null())
                    // Coarsened to 3 decimals (~100 m) before it is stored.
                    .col(ColumnDef::new(HelpRequests::Lat).double().null())
                    .col(ColumnDef::new(HelpRequests::Lng).double().null())
                    .col(ColumnDef::new(HelpRequests::StationId).uuid().null())
                    // Routing keys, so every scope filter is plain equality.
                    .col(
                        ColumnDef::new(HelpRequests::StreetCode)
                            .string_len(12)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequests::DistrictCode)
                            .string_len(12)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(HelpRequests::CityCode)
                            .string_len(12)
                            .not_null(),
                    )
                    .col(ColumnDef::new(HelpRequests::Tier).string_len(16).not_null())
                    .col(
                        ColumnDef::new(HelpRequests::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(HelpRequests::AssigneeId).uuid().null())
                    .col(ts(HelpRequests::DueAt).null())
                    .col(ts(HelpRequests::AcceptDueAt).null())
                    .col(ts(HelpRequests::ResolveDueAt).null())
                    // The current deadline's breach is already on the timeline (city tier).
                    .col(
                        ColumnDef::new(HelpRequests::BreachNoted)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ts(HelpRequests::ResolvedAt).null())
                    .col(
                        ColumnDef::new(HelpRequests::ReopenCount)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(HelpRequests::Rating).integer().null())
                    .col(
                        ColumnDef::new(HelpRequests::FeedbackComment)
                            .string_len(500)
                            .null(),
                    )
                    .col(ts(HelpRequests::FeedbackAt).null())
                    // Optimistic lock: every write is `... WHERE version = ?`.
                    .col(
                        ColumnDef::new(HelpRequests::Version)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ts(HelpRequests::CreatedAt).not_null())
                    .col(ts(HelpRequests::UpdatedAt).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_help_requests_rider")
                            .from(HelpRequests::Table, HelpRequests::RiderId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_help_requests_station")
                            .from(HelpRequests::Table, HelpRequests::StationId)
                            .to(Stations::Table, Stations::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        let indexes: [(&str, Vec<HelpRequests>); 5] = [
            (
                "idx_help_requests_status_due",
                vec![HelpRequests::Status, HelpRequests::DueAt],
            ),
            (
                "idx_help_requests_rider",
                vec![HelpRequests::RiderId, HelpRequests::CreatedAt],
            ),
            ("idx_help_requests_station", vec![HelpRequests::StationId]),
            ("idx_help_requests_street", vec![HelpRequests::StreetCode]),
            (
                "idx_help_requests_district",
                vec![HelpRequests::DistrictCode],
            ),
        ];
        for (name, cols) in indexes {
            let mut index = Index::create();
            index.name(name).table(HelpRequests::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(HelpEvents::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(HelpEvents::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(HelpEvents::RequestId).uuid().not_null())
                    .col(ts(HelpEvents::At).not_null())
                    .col(ColumnDef::new(HelpEvents::ActorId).uuid().null())
                    .col(
                        ColumnDef::new(HelpEvents::ActorRole)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(HelpEvents::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(HelpEvents::FromStatus).string_len(16).null())
                    .col(ColumnDef::new(HelpEvents::ToStatus).string_len(16).null())
                    .col(ColumnDef::new(HelpEvents::Tier).string_len(16).null())
                    .col(ColumnDef::new(HelpEvents::Note).string_len(500).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_help_events_request")
                            .from(HelpEvents::Table, HelpEvents::RequestId)
                            .to(HelpRequests::Table, HelpRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_help_events_request_at")
                    .table(HelpEvents::Table)
                    .col(HelpEvents::RequestId)
                    .col(HelpEvents::At)
                    .to_owned(),
            )
            .await?;

        // Generic: any POST that takes an Idempotency-Key stores its first answer here, in the
        // same transaction as the write it answers for.
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(IdempotencyKeys::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::Scope)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::Key)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::RequestHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::Status).integer().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::ResponseBody)
                            .text()
                            .not_null(),
                    )
                    .col(ts(IdempotencyKeys::CreatedAt).not_null())
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::UserId)
                            .col(IdempotencyKeys::Scope)
                            .col(IdempotencyKeys::Key),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_idempotency_keys_user")
                            .from(IdempotencyKeys::Table, IdempotencyKeys::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyKeys::Table.into_iden(),
            HelpEvents::Table.into_iden(),
            HelpRequests::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
