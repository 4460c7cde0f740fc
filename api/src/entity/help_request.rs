use sea_orm::entity::prelude::*;

/// One help request (诉求). Enum-valued columns hold the snake_case names of `help::domain`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "help_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// None once anonymised by retention (`help::retention`).
    pub rider_id: Option<Uuid>,
    pub category: String,
    pub urgency: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub station_id: Option<Uuid>,
    pub street_code: Option<String>,
    pub district_code: Option<String>,
    pub city_code: String,
    pub tier: String,
    pub status: String,
    pub assignee_id: Option<Uuid>,
    pub due_at: Option<DateTimeUtc>,
    pub accept_due_at: Option<DateTimeUtc>,
    pub resolve_due_at: Option<DateTimeUtc>,
    pub breach_noted: bool,
    pub resolved_at: Option<DateTimeUtc>,
    pub reopen_count: i32,
    pub rating: Option<i32>,
    pub feedback_comment: Option<String>,
    pub feedback_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// `open311` when a key holder filed it for a caller; None from the app.
    pub source: Option<String>,
    /// The address as the caller gave it (Open311 `address_string` / `address_id`).
    pub address_text: Option<String>,
    pub caller_name: Option<String>,
    /// Encrypted like users' phones (`PhoneCrypto`).
    pub caller_phone_enc: Option<String>,
    pub caller_email_enc: Option<String>,
    /// When retention stripped it of everything personal.
    pub anonymised_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
