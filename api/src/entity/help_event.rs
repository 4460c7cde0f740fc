use sea_orm::entity::prelude::*;

/// One entry of a help request's timeline. Rows are only ever inserted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "help_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    pub actor_role: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub tier: Option<String>,
    /// People's words only; system entries say what happened in the columns below.
    pub note: Option<String>,
    /// `accept` | `resolve`: the deadline of an `sla_breached` entry.
    pub step: Option<String>,
    /// That deadline.
    pub due_at: Option<DateTimeUtc>,
    /// Where an `escalated` entry came from.
    pub from_tier: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
