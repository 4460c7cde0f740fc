use sea_orm::entity::prelude::*;

/// A reward handed out at a station for a used code.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "redemptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code_id: Uuid,
    pub rider_id: Uuid,
    pub reward_id: Uuid,
    pub station_id: Uuid,
    pub operator_id: Option<Uuid>,
    pub cost: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
