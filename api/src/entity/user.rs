use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub role: String,
    pub phone_enc: String,
    pub phone_hash: String,
    pub password_hash: String,
    pub display_name: String,
    pub locale: String,
    pub station_id: Option<Uuid>,
    pub region_code: Option<String>,
    pub token_version: i32,
    /// Shown among the month's star riders (典型选树); off unless the rider opts in.
    pub star_opt_in: bool,
    /// Set when the account was disabled: no login, no session.
    pub disabled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
