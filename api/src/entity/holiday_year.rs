use sea_orm::entity::prelude::*;

/// One year of statutory public holidays and the notice they come from.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "holiday_years")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub source: String,
    pub source_url: Option<String>,
    /// JSON array of `{date, festival, name}`.
    #[sea_orm(column_type = "Text")]
    pub days: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
