use sea_orm::entity::prelude::*;

/// One station's day (Asia/Shanghai), rebuilt by the rollup job.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "daily_station_stats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub station_id: Uuid,
    pub region_code: String,
    pub check_ins: i64,
    pub visitors: i64,
    pub services: i64,
    pub service_entries: i64,
    pub peak_occupancy: i64,
    pub redemptions: i64,
    pub points_redeemed: i64,
    pub points_earned: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
