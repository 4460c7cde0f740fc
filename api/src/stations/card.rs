//! The station card: what nearby answers from memory, rebuilt from the database row.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::domain::{amenities_from_db, mask, Amenity, LatLng, StationStatus};
use opening_hours::ContextHolidays;

use super::hours::{self, Hours, HoursState, Openness};
use crate::entity::station;

/// A check-in raises occupancy for this long (unless the operator sets occupancy after it).
pub const VISIT_WINDOW_MIN: i64 = 60;

pub struct Card {
    pub id: Uuid,
    pub name: String,
    pub name_en: Option<String>,
    pub address: String,
    pub at: LatLng,
    pub gcj: LatLng,
    pub region_code: String,
    pub amenities: Vec<Amenity>,
    pub amenity_mask: u32,
    pub status: StationStatus,
    pub capacity: i32,
    pub occupancy_base: i32,
    pub occupancy_set_at: Option<DateTime<Utc>>,
    /// Check-ins newer than both the window start and the operator's last count.
    pub visits: Vec<DateTime<Utc>>,
    pub opening_hours: String,
    pub hours: Option<Arc<Hours>>,
    pub updated_at: DateTime<Utc>,
    /// Open/closed changes only at `next_change`; remember it instead of re-evaluating.
    hours_cache: Mutex<Option<(HoursState, DateTime<Utc>)>>,
}

impl Card {
    pub fn from_row(
        row: &station::Model,
        visits: Vec<DateTime<Utc>>,
        holidays: &ContextHolidays,
    ) -> Self {
        // Stored hours were validated on write; a bad legacy value reads as closed.
        let hours = hours::for_station(&row.opening_hours, Some((row.lat, row.lng)), holidays);
        Self::with_hours(row, visits, hours)
    }

    /// As `from_row`, with the hours already parsed: a bulk load parses each distinct
    /// expression once and shares it (parsing is most of the time of building 100 000 cards).
    pub fn with_hours(
        row: &station::Model,
        visits: Vec<DateTime<Utc>>,
        hours: Option<Arc<Hours>>,
    ) -> Self {
        let at = LatLng {
            lat: row.lat,
            lng: row.lng,
        };
        let amenities = amenities_from_db(&row.amenities);
        let visits = visits
            .into_iter()
            .filter(|t| row.occupancy_set_at.is_none_or(|s| *t > s))
            .collect();
        Self {
            id: row.id,
            name: row.name.clone(),
            name_en: row.name_en.clone(),
            address: row.address.clone(),
            at,
            gcj: at.to_gcj02(),
            region_code: row.region_code.clone(),
            amenity_mask: mask(&amenities),
            amenities,
            status: StationStatus::parse(&row.status).unwrap_or(StationStatus::TemporarilyClosed),
            capacity: row.capacity,
            occupancy_base: row.occupancy,
            occupancy_set_at: row.occupancy_set_at,
            visits,
            opening_hours: row.opening_hours.clone(),
            hours,
            updated_at: row.updated_at,
            hours_cache: Mutex::new(None),
        }
    }

    pub fn occupancy(&self, now: DateTime<Utc>) -> i32 {
        let since = now - Duration::minutes(VISIT_WINDOW_MIN);
        let recent = self.visits.iter().filter(|t| **t > since).count() as i32;
        self.occupancy_base + recent
    }

    /// Hours state at `now`, from the cache while it is still valid.
    pub fn hours_state(&self, now: DateTime<Utc>) -> HoursState {
        let Some(hours) = &self.hours else {
            return HoursState {
                state: Openness::Closed,
                next_change: None,
            };
        };
        if let Ok(mut cache) = self.hours_cache.lock() {
            if let Some((state, computed_at)) = *cache {
                let still_valid = now >= computed_at && state.next_change.is_none_or(|t| now < t);
                if still_valid {
                    return state;
                }
            }
            let state = hours::state_at(hours, now);
            *cache = Some((state, now));
            return state;
        }
        hours::state_at(hours, now)
    }

    /// Open for riders now: the hours say open and the operator has not closed it.
    pub fn open_now(&self, state: HoursState) -> bool {
        state.is_open() && self.status.is_serving()
    }
}
