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
enum ServiceLogs {
    Table,
    Id,
    StationId,
    ServiceType,
    Quantity,
    RiderId,
    Note,
    OccurredAt,
    OperatorId,
    CreatedAt,
    VoidedAt,
    VoidedBy,
    VoidReason,
}

#[derive(DeriveIden)]
enum RiderIdentifications {
    Table,
    Id,
    StationId,
    RiderId,
    OperatorId,
    CreatedAt,
    ValidUntil,
}

#[derive(DeriveIden)]
enum OccupancySamples {
    Table,
    Id,
    StationId,
    Occupancy,
    At,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().to_owned()
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to_users: bool,
) -> ForeignKeyCreateStatement {
    let mut fk = ForeignKey::create();
    fk.name(name).from(from.0, from.1);
    if to_users {
        fk.to(Users::Table, Users::Id)
            .on_delete(ForeignKeyAction::SetNull);
    } else {
        fk.to(Stations::Table, Stations::Id)
            .on_delete(ForeignKeyAction::Cascade);
    }
    fk.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Services given at a station. Never deleted: a correction marks the row void. Rider and
        // operator links are cut (SET NULL) when those accounts are deleted; the count stays.
        manager
            .create_table(
                Table::create()
                    .table(ServiceLogs::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ServiceLogs::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ServiceLogs::StationId).uuid().not_null())
                    .col(
                        ColumnDef::new(ServiceLogs::ServiceType)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ServiceLogs::Quantity)
                            .integer()
                            .not_null()
                            .check(Expr::col(ServiceLogs::Quantity).between(1, 50)),
                    )
                    .col(ColumnDef::new(ServiceLogs::RiderId).uuid().null())
                    .col(ColumnDef::new(ServiceLogs::Note).string_len(800).null())
                    .col(ts(ServiceLogs::OccurredAt).not_null())
                    .col(ColumnDef::new(ServiceLogs::OperatorId).uuid().null())
                    .col(ts(ServiceLogs::CreatedAt).not_null())
                    .col(ts(ServiceLogs::VoidedAt).null())
                    .col(ColumnDef::new(ServiceLogs::VoidedBy).uuid().null())
                    .col(
                        ColumnDef::new(ServiceLogs::VoidReason)
                            .string_len(800)
                            .null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_service_logs_station",
                        (ServiceLogs::Table, ServiceLogs::StationId),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        "fk_service_logs_rider",
                        (ServiceLogs::Table, ServiceLogs::RiderId),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_service_logs_operator",
                        (ServiceLogs::Table, ServiceLogs::OperatorId),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_service_logs_voided_by",
                        (ServiceLogs::Table, ServiceLogs::VoidedBy),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_service_logs_station_time")
                    .table(ServiceLogs::Table)
                    .col(ServiceLogs::StationId)
                    .col(ServiceLogs::OccurredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_service_logs_rider")
                    .table(ServiceLogs::Table)
                    .col(ServiceLogs::RiderId)
                    .col(ServiceLogs::OccurredAt)
                    .to_owned(),
            )
            .await?;

        // A rider showed their code to this station's operator: services may be attached to
        // them there until `valid_until`. Deleted with the rider.
        manager
            .create_table(
                Table::create()
                    .table(RiderIdentifications::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(RiderIdentifications::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(RiderIdentifications::StationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RiderIdentifications::RiderId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RiderIdentifications::OperatorId)
                            .uuid()
                            .null(),
                    )
                    .col(ts(RiderIdentifications::CreatedAt).not_null())
                    .col(ts(RiderIdentifications::ValidUntil).not_null())
                    .foreign_key(&mut fk(
                        "fk_rider_identifications_station",
                        (RiderIdentifications::Table, RiderIdentifications::StationId),
                        false,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rider_identifications_rider")
                            .from(RiderIdentifications::Table, RiderIdentifications::RiderId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(
                        "fk_rider_identifications_operator",
                        (
                            RiderIdentifications::Table,
                            RiderIdentifications::OperatorId,
                        ),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rider_identifications_station_rider")
                    .table(RiderIdentifications::Table)
                    .col(RiderIdentifications::StationId)
                    .col(RiderIdentifications::RiderId)
                    .col(RiderIdentifications::ValidUntil)
                    .to_owned(),
            )
            .await?;

        // Occupancy as it changed (operator counts and check-ins), for a day's peak.
        manager
            .create_table(
                Table::create()
                    .table(OccupancySamples::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(OccupancySamples::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(OccupancySamples::StationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OccupancySamples::Occupancy)
                            .integer()
                            .not_null(),
                    )
                    .col(ts(OccupancySamples::At).not_null())
                    .foreign_key(&mut fk(
                        "fk_occupancy_samples_station",
                        (OccupancySamples::Table, OccupancySamples::StationId),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_occupancy_samples_station_time")
                    .table(OccupancySamples::Table)
                    .col(OccupancySamples::StationId)
                    .col(OccupancySamples::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OccupancySamples::Table.into_iden(),
            RiderIdentifications::Table.into_iden(),
            ServiceLogs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
