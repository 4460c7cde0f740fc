use sea_orm::entity::prelude::*;

/// One graded quiz submission. Rows are only ever inserted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub rider_id: Uuid,
    pub slug: String,
    pub locale: String,
    pub version: i32,
    pub score: i32,
    pub passed: bool,
    #[sea_orm(column_type = "Text")]
    pub answers_json: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
