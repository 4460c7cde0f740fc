use sea_orm::entity::prelude::*;

/// A rider showed their code at a station: services may be attached to them there until
/// `valid_until`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rider_identifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub station_id: Uuid,
    pub rider_id: Uuid,
    pub operator_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub valid_until: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
