use sea_orm_migration::prelude::*;

use super::m20261122_000001_create_regions::Regions;
use super::m20261122_000002_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Stations {
    Table,
    Id,
    ExternalId,
    Name,
    NameEn,
    Address,
    Lat,
    Lng,
    RegionCode,
    OpeningHours,
    Amenities,
    Capacity,
    Status,
    Occupancy,
    OccupancySetAt,
    ContactPhone,
    CheckinCode,
    CheckinRotatedAt,
    LastVerifiedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CheckIns {
    Table,
    Id,
    StationId,
    RiderId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StationChanges {
    Table,
    Seq,
    StationId,
    ChangedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Stations::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Stations::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(Stations::ExternalId)
                            .string_len(64)
                            .null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Stations::Name).string_len(80).not_null())
                    .col(ColumnDef::new(Stations::NameEn).string_len(120).null())
                    .col(ColumnDef::new(Stations::Address).string_len(200).not_null())
                    // WGS-84; GCJ-02 is converted at the edge.
                    .col(ColumnDef::new(Stations::Lat).double().not_null())
                    .col(ColumnDef::new(Stations::Lng).double().not_null())
                    .col(
                        ColumnDef::new(Stations::RegionCode)
                            .string_len(12)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Stations::OpeningHours)
                            .string_len(255)
                            .not_null(),
                    )
                    // Sorted, comma-separated amenity codes: portable and small.
                    .col(
                        ColumnDef::new(Stations::Amenities)
                            .string_len(400)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Stations::Capacity).integer().not_null())
                    .col(ColumnDef::new(Stations::Status).string_len(24).not_null())
                    .col(
                        ColumnDef::new(Stations::Occupancy)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(Stations::OccupancySetAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Stations::ContactPhone).string_len(32).null())
                    .col(
                        ColumnDef::new(Stations::CheckinCode)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Stations::CheckinRotatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Stations::LastVerifiedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Stations::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Stations::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stations_region")
                            .from(Stations::Table, Stations::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stations_region")
                    .table(Stations::Table)
                    .col(Stations::RegionCode)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CheckIns::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(CheckIns::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(CheckIns::StationId).uuid().not_null())
                    .col(ColumnDef::new(CheckIns::RiderId).uuid().not_null())
                    .col(
                        ColumnDef::new(CheckIns::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_check_ins_station")
                            .from(CheckIns::Table, CheckIns::StationId)
                            .to(Stations::Table, Stations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_check_ins_rider")
                            .from(CheckIns::Table, CheckIns::RiderId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_check_ins_station_time")
                    .table(CheckIns::Table)
                    .col(CheckIns::StationId)
                    .col(CheckIns::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_check_ins_rider_station_time")
                    .table(CheckIns::Table)
                    .col(CheckIns::RiderId)
                    .col(CheckIns::StationId)
                    .col(CheckIns::CreatedAt)
                    .to_owned(),
            )
            .await?;

        // The change feed: every station write appends a row; instances catch up by seq.
        manager
            .create_table(
                Table::create()
                    .table(StationChanges::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(StationChanges::Seq)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(StationChanges::StationId).uuid().not_null())
                    .col(
                        ColumnDef::new(StationChanges::ChangedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StationChanges::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CheckIns::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Stations::Table).to_owned())
            .await
    }
}
