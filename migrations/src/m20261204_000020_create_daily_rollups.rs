use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DailyStationStats {
    Table,
    Day,
    StationId,
    RegionCode,
    CheckIns,
    Visitors,
    Services,
    ServiceEntries,
    PeakOccupancy,
    Redemptions,
    PointsRedeemed,
    PointsEarned,
}

#[derive(DeriveIden)]
enum DailyServiceStats {
    Table,
    Day,
    StationId,
    RegionCode,
    ServiceType,
    Quantity,
    Entries,
}

#[derive(DeriveIden)]
enum DailyStationVisitors {
    Table,
    Day,
    StationId,
    RegionCode,
    RiderId,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    Until,
    LastRunAt,
}

fn day(col: impl IntoIden) -> ColumnDef {
    // `YYYY-MM-DD` in Asia/Shanghai: sorts and compares as text on both backends.
    ColumnDef::new(col).string_len(10).not_null().to_owned()
}

fn count(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .default(0)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Per station and day, rebuilt for recent days by the rollup job; the dashboard reads
        // these instead of the raw check-ins and service logs.
        manager
            .create_table(
                Table::create()
                    .table(DailyStationStats::Table)
                    .if_not_exists()
                    .col(day(DailyStationStats::Day))
                    .col(
                        ColumnDef::new(DailyStationStats::StationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DailyStationStats::RegionCode)
                            .string_len(12)
                            .not_null(),
                    )
                    .col(count(DailyStationStats::CheckIns))
                    .col(count(DailyStationStats::Visitors))
                    .col(count(DailyStationStats::Services))
                    .col(count(DailyStationStats::ServiceEntries))
                    .col(count(DailyStationStats::PeakOccupancy))
                    .col(count(DailyStationStats::Redemptions))
                    .col(count(DailyStationStats::PointsRedeemed))
                    .col(count(DailyStationStats::PointsEarned))
                    .primary_key(
                        Index::create()
                            .col(DailyStationStats::Day)
                            .col(DailyStationStats::StationId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DailyServiceStats::Table)
                    .if_not_exists()
                    .col(day(DailyServiceStats::Day))
                    .col(
                        ColumnDef::new(DailyServiceStats::StationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DailyServiceStats::RegionCode)
                            .string_len(12)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DailyServiceStats::ServiceType)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(count(DailyServiceStats::Quantity))
                    .col(count(DailyServiceStats::Entries))
                    .primary_key(
                        Index::create()
                            .col(DailyServiceStats::Day)
                            .col(DailyServiceStats::StationId)
                            .col(DailyServiceStats::ServiceType),
                    )
                    .to_owned(),
            )
            .await?;
        // Distinct riders per station and day: unique riders over a range and coverage demand.
        manager
            .create_table(
                Table::create()
                    .table(DailyStationVisitors::Table)
                    .if_not_exists()
                    .col(day(DailyStationVisitors::Day))
                    .col(
                        ColumnDef::new(DailyStationVisitors::StationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DailyStationVisitors::RegionCode)
                            .string_len(12)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DailyStationVisitors::RiderId)
                            .uuid()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(DailyStationVisitors::Day)
                            .col(DailyStationVisitors::StationId)
                            .col(DailyStationVisitors::RiderId),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, region, dayc) in [
            (
                "idx_daily_station_stats_region_day",
                DailyStationStats::Table.into_iden(),
                DailyStationStats::RegionCode.into_iden(),
                DailyStationStats::Day.into_iden(),
            ),
            (
                "idx_daily_service_stats_region_day",
                DailyServiceStats::Table.into_iden(),
                DailyServiceStats::RegionCode.into_iden(),
                DailyServiceStats::Day.into_iden(),
            ),
            (
                "idx_daily_station_visitors_region_day",
                DailyStationVisitors::Table.into_iden(),
                DailyStationVisitors::RegionCode.into_iden(),
                DailyStationVisitors::Day.into_iden(),
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(region)
                        .col(dayc)
                        .to_owned(),
                )
                .await?;
        }
        // One row per background job: whoever moves `until` forward runs it (several instances).
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(JobLeases::Name)
                            .string_len(32)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(JobLeases::Holder).string_len(64).null())
                    .col(
                        ColumnDef::new(JobLeases::Until)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(JobLeases::LastRunAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // The raw tables the rollup reads a day at a time: BRIN on PostgreSQL, where rows
        // arrive in time order and a B-tree over 50 M timestamps would be large; B-trees on SQLite.
        let by_time = [
            ("check_ins", "created_at"),
            ("service_logs", "occurred_at"),
            ("occupancy_samples", "at"),
            ("redemptions", "created_at"),
            ("points_ledger", "created_at"),
            ("lesson_progress", "first_passed_at"),
        ];
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for (table, column) in by_time {
            let sql = if postgres {
                format!("CREATE INDEX IF NOT EXISTS brin_{table}_{column} ON {table} USING brin ({column})")
            } else {
                format!("CREATE INDEX IF NOT EXISTS idx_{table}_{column} ON {table} ({column})")
            };
            manager.get_connection().execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            JobLeases::Table.into_iden(),
            DailyStationVisitors::Table.into_iden(),
            DailyServiceStats::Table.into_iden(),
            DailyStationStats::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
