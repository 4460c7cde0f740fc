use sea_orm::entity::prelude::*;

/// One locale of one lesson; `(slug, locale)` is unique. `quiz_json` holds the right answers
/// and never leaves the server.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lessons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub slug: String,
    pub locale: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub minutes: i32,
    pub cover: String,
    #[sea_orm(column_type = "Text")]
    pub body_md: String,
    pub points: i32,
    pub pass_mark: i32,
    pub published: bool,
    pub position: i32,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub quiz_json: String,
    pub content_hash: String,
    pub origin: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
