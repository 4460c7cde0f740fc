use sea_orm::entity::prelude::*;

/// Something a rider can get for points, at one station or (station_id NULL) any station.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rewards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub name_en: Option<String>,
    pub emoji: String,
    pub cost: i64,
    pub station_id: Option<Uuid>,
    /// NULL: unlimited.
    pub stock: Option<i32>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
