use sea_orm::entity::prelude::*;

/// One audited access: who (actor), what (action, route template, object id), when, outcome.
/// Rows are only ever inserted; the database refuses updates and deletes.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub method: String,
    pub route: String,
    pub object_id: Option<Uuid>,
    /// `allowed` | `denied`.
    pub outcome: String,
    pub status: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
