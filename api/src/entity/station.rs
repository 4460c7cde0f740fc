use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "stations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub external_id: Option<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub region_code: String,
    pub opening_hours: String,
    pub amenities: String,
    pub capacity: i32,
    pub status: String,
    pub occupancy: i32,
    pub occupancy_set_at: Option<DateTimeUtc>,
    pub contact_phone: Option<String>,
    pub checkin_code: String,
    pub checkin_rotated_at: DateTimeUtc,
    pub last_verified_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
