use sea_orm::entity::prelude::*;

/// A service given at a station. Corrections mark it void; rows are never deleted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_logs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub station_id: Uuid,
    pub service_type: String,
    pub quantity: i32,
    pub rider_id: Option<Uuid>,
    pub note: Option<String>,
    pub occurred_at: DateTimeUtc,
    pub operator_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub voided_at: Option<DateTimeUtc>,
    pub voided_by: Option<Uuid>,
    pub void_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
