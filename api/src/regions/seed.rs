//! Loads the embedded Shanghai table on every start. Idempotent: rows are upserted by code.

use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, Set, TransactionTrait};
use serde::Deserialize;

use crate::entity::region;

const SHANGHAI: &str = include_str!("../../seed/shanghai-regions.csv");

#[derive(Debug, Deserialize)]
struct Row {
    code: String,
    level: String,
    parent_code: Option<String>,
    name_zh: String,
    name_en: Option<String>,
    lat: Option<f64>,
    lng: Option<f64>,
    radius_km: Option<f64>,
}

pub fn parse(csv_text: &str) -> Result<Vec<region::ActiveModel>, csv::Error> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    for row in reader.deserialize::<Row>() {
        let r = row?;
        let blank = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
        rows.push(region::ActiveModel {
            code: Set(r.code),
            level: Set(r.level),
            parent_code: Set(blank(r.parent_code)),
            name_zh: Set(r.name_zh),
            name_en: Set(blank(r.name_en)),
            lat: Set(r.lat),
            lng: Set(r.lng),
            radius_km: Set(r.radius_km),
        });
    }
    Ok(rows)
}

/// Upserts the embedded Shanghai regions (parents first, as the file is ordered).
pub async fn load_builtin(db: &DatabaseConnection) -> Result<usize, DbErr> {
    let rows =
        parse(SHANGHAI).map_err(|e| DbErr::Custom(format!("embedded regions table: {e}")))?;
    let count = rows.len();
    let txn = db.begin().await?;
    for chunk in rows.chunks(100) {
        region::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(region::Column::Code)
                    .update_columns([
                        region::Column::Level,
                        region::Column::ParentCode,
                        region::Column::NameZh,
                        region::Column::NameEn,
                        region::Column::Lat,
                        region::Column::Lng,
                        region::Column::RadiusKm,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_table_has_city_districts_and_streets() {
        let rows = super::parse(super::SHANGHAI).unwrap();
        let level = |l: &str| rows.iter().filter(|r| r.level.as_ref() == l).count();
        assert_eq!(
            (level("city"), level("district"), level("street")),
            (1, 16, 234)
        );
    }
}
