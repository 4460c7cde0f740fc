use sea_orm::entity::prelude::*;

/// A rider's standing on one lesson (across its locales).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_progress")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub rider_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub best_score: i32,
    pub passed: bool,
    pub attempts: i32,
    pub points_awarded: i32,
    pub first_passed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
