//! Synthetic stations for benchmarks (`warmnew gen stations`), and the random hours and
//! amenities the demo stations share.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use uuid::Uuid;

use super::checkin;
use super::domain::{amenities_to_db, Amenity, StationStatus};
use crate::entity::{region, station, station_change};

/// Shanghai's bounding box (WGS-84).
pub const LAT_RANGE: (f64, f64) = (30.70, 31.85);
pub const LNG_RANGE: (f64, f64) = (120.90, 121.95);
/// Rows per INSERT (20 columns x 500 stays well under every bind-parameter limit).
const CHUNK: usize = 500;

/// Opening hours in rough real-world proportions: ~40% around the clock.
const HOURS: [(&str, u32); 7] = [
    ("24/7", 40),
    ("Mo-Su 07:00-22:00", 18),
    ("Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00", 14),
    ("Mo-Su 06:00-02:00", 10),
    ("Mo-Fr 09:00-18:00; PH off", 10),
    ("Mo-Su 10:00-22:00; PH 10:00-18:00", 5),
    ("Mo-Sa 07:30-21:30; Su 09:00-17:00", 3),
];

/// How often each amenity appears: water and charging nearly everywhere, legal aid and
/// counselling at few stations.
const AMENITY_ODDS: [(Amenity, f64); 17] = [
    (Amenity::DrinkingWater, 0.95),
    (Amenity::PhoneCharging, 0.90),
    (Amenity::BatterySwap, 0.35),
    (Amenity::Microwave, 0.60),
    (Amenity::Toilet, 0.55),
    (Amenity::RestArea, 0.80),
    (Amenity::AirConditioning, 0.75),
    (Amenity::Heating, 0.55),
    (Amenity::FirstAid, 0.60),
    (Amenity::Medicine, 0.30),
    (Amenity::Wifi, 0.60),
    (Amenity::RepairTools, 0.25),
    (Amenity::Umbrella, 0.45),
    (Amenity::Shower, 0.05),
    (Amenity::LegalAid, 0.10),
    (Amenity::Counselling, 0.08),
    (Amenity::Library, 0.15),
];

pub fn random_hours(rng: &mut impl Rng) -> &'static str {
    let total: u32 = HOURS.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (hours, weight) in HOURS {
        if pick < weight {
            return hours;
        }
        pick -= weight;
    }
    HOURS[0].0
}

pub fn random_amenities(rng: &mut impl Rng) -> Vec<Amenity> {
    AMENITY_ODDS
        .iter()
        .filter(|(_, p)| rng.gen_bool(*p))
        .map(|(a, _)| *a)
        .collect()
}

/// Mostly open; a few full or closed for now, as on any given day.
pub fn random_status(rng: &mut impl Rng) -> StationStatus {
    match rng.gen_range(0..100) {
        0..=3 => StationStatus::Full,
        4..=6 => StationStatus::TemporarilyClosed,
        _ => StationStatus::Open,
    }
}

/// A district centre and its rough radius, from the regions table.
#[derive(Debug, Clone)]
pub struct District {
    pub code: String,
    pub lat: f64,
    pub lng: f64,
    pub radius_km: f64,
}

pub async fn districts(db: &DatabaseConnection) -> Result<Vec<District>, DbErr> {
    let rows = region::Entity::find()
        .filter(region::Column::Level.eq("district"))
        .filter(region::Column::Code.starts_with("31"))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(District {
                code: r.code,
                lat: r.lat?,
                lng: r.lng?,
                radius_km: r.radius_km.unwrap_or(5.0).max(1.0),
            })
        })
        .collect())
}

/// The district whose centre is nearest, measured in its own radii so that a small central
/// district does not swallow the edge of a large neighbour.
pub fn nearest_district(districts: &[District], lat: f64, lng: f64) -> Option<&District> {
    let score = |d: &District| {
        let dy = (lat - d.lat) * 110.57;
        let dx = (lng - d.lng) * 111.32 * d.lat.to_radians().cos();
        (dx * dx + dy * dy).sqrt() / d.radius_km
    };
    districts
        .iter()
        .min_by(|a, b| score(a).total_cmp(&score(b)))
}

/// Six decimals (~0.1 m), as a surveyed coordinate would be given.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A station made by a seed or the generator: everything but ids and timestamps.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedStation {
    pub external_id: String,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub region_code: String,
    pub opening_hours: &'static str,
    pub amenities: Vec<Amenity>,
    pub capacity: i32,
    pub status: StationStatus,
}

impl SeedStation {
    /// A fresh row: no operator count yet, a new check-in code, verified now. No contact
    /// phone: an invented number could ring a real person.
    pub fn into_active_model(self, id: Uuid, now: DateTime<Utc>) -> station::ActiveModel {
        station::ActiveModel {
            id: Set(id),
            external_id: Set(Some(self.external_id)),
            name: Set(self.name),
            name_en: Set(Some(self.name_en)),
            address: Set(self.address),
            lat: Set(self.lat),
            lng: Set(self.lng),
            region_code: Set(self.region_code),
            opening_hours: Set(self.opening_hours.into()),
            amenities: Set(amenities_to_db(&self.amenities)),
            capacity: Set(self.capacity),
            status: Set(self.status.as_str().into()),
            occupancy: Set(0),
            occupancy_set_at: Set(None),
            contact_phone: Set(None),
            checkin_code: Set(checkin::new_code()),
            checkin_rotated_at: Set(now),
            last_verified_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
        }
    }
}

/// The content of synthetic station `i` for `seed`.
pub fn synthetic(rng: &mut StdRng, seed: u64, i: usize, districts: &[District]) -> SeedStation {
    let lat = round6(rng.gen_range(LAT_RANGE.0..LAT_RANGE.1));
    let lng = round6(rng.gen_range(LNG_RANGE.0..LNG_RANGE.1));
    let region_code = nearest_district(districts, lat, lng)
        .map(|d| d.code.clone())
        .unwrap_or_else(|| "3101".into());
    let n = i + 1;
    SeedStation {
        external_id: format!("gen-{seed}-{i}"),
        name: format!("合成测试驿站{n:06}"),
        name_en: format!("Synthetic station {n}"),
        address: format!("测试路{}号", rng.gen_range(1..2000)),
        lat,
        lng,
        region_code,
        opening_hours: random_hours(rng),
        amenities: random_amenities(rng),
        capacity: rng.gen_range(6..=40),
        status: random_status(rng),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenReport {
    pub inserted: usize,
    /// Already present from an earlier run with the same seed.
    pub skipped: usize,
}

/// Inserts `count` synthetic stations, the same ones for the same seed; re-running skips
/// those already there. One change-feed row per station, so running instances and any index
/// snapshot keyed by the feed's sequence see them (the feed rows are bulk-inserted too).
pub async fn generate(
    db: &DatabaseConnection,
    count: usize,
    seed: u64,
) -> Result<GenReport, DbErr> {
    let districts = districts(db).await?;
    if districts.is_empty() {
        return Err(DbErr::Custom(
            "no district regions with coordinates; load regions first".into(),
        ));
    }
    let prefix = format!("gen-{seed}-");
    let existing: HashSet<String> = station::Entity::find()
        .select_only()
        .column(station::Column::ExternalId)
        .filter(station::Column::ExternalId.starts_with(&prefix))
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let now = Utc::now();
    let txn = db.begin().await?;
    let mut batch = Vec::with_capacity(CHUNK);
    let mut ids = Vec::with_capacity(CHUNK);
    let mut report = GenReport {
        inserted: 0,
        skipped: 0,
    };
    for i in 0..count {
        // Drawn even when skipped, so row i is the same whatever existed before.
        let s = synthetic(&mut rng, seed, i, &districts);
        if existing.contains(&s.external_id) {
            report.skipped += 1;
            continue;
        }
        let id = Uuid::now_v7();
        ids.push(id);
        batch.push(s.into_active_model(id, now));
        if batch.len() == CHUNK {
            flush(&txn, &mut batch, &mut ids).await?;
        }
        report.inserted += 1;
    }
    flush(&txn, &mut batch, &mut ids).await?;
    txn.commit().await?;
    Ok(report)
}

async fn flush(
    txn: &sea_orm::DatabaseTransaction,
    batch: &mut Vec<station::ActiveModel>,
    ids: &mut Vec<Uuid>,
) -> Result<(), DbErr> {
    if batch.is_empty() {
        return Ok(());
    }
    station::Entity::insert_many(std::mem::take(batch))
        .exec_without_returning(txn)
        .await?;
    let now = Utc::now();
    let changes = ids.drain(..).map(|id| station_change::ActiveModel {
        station_id: Set(id),
        changed_at: Set(now),
        ..Default::default()
    });
    station_change::Entity::insert_many(changes)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stations::hours;

    fn districts() -> Vec<District> {
        vec![
            District {
                code: "310101".into(),
                lat: 31.2317,
                lng: 121.4846,
                radius_km: 4.0,
            },
            District {
                code: "310115".into(),
                lat: 31.2215,
                lng: 121.5447,
                radius_km: 20.0,
            },
        ]
    }

    #[test]
    fn every_hours_pattern_parses() {
        for (h, _) in HOURS {
            assert!(hours::parse(h).is_ok(), "{h}");
        }
    }

    #[test]
    fn same_seed_same_stations_inside_the_box() {
        let d = districts();
        let run = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            (0..50)
                .map(|i| synthetic(&mut rng, seed, i, &d))
                .collect::<Vec<_>>()
        };
        let a = run(7);
        assert_eq!(a, run(7));
        assert_ne!(a, run(8));
        for s in &a {
            assert!((LAT_RANGE.0..LAT_RANGE.1).contains(&s.lat));
            assert!((LNG_RANGE.0..LNG_RANGE.1).contains(&s.lng));
            assert!((6..=40).contains(&s.capacity));
        }
    }

    #[test]
    fn a_small_district_does_not_take_a_large_neighbours_edge() {
        let d = districts();
        // About 3 km from both centres (Huangpu's a little nearer): 0.7 of Huangpu's radius,
        // 0.15 of Pudong's, so Pudong.
        assert_eq!(
            nearest_district(&d, 31.2317, 121.515).unwrap().code,
            "310115"
        );
        assert_eq!(
            nearest_district(&d, 31.2317, 121.485).unwrap().code,
            "310101"
        );
    }
}
