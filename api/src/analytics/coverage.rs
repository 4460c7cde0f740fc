//! `GET /analytics/coverage`: the 15-minute service circle on an H3 grid (resolution 8, ~0.7
//! km² cells). Demand per cell is the distinct riders seen there (check-ins at its stations,
//! help requests filed from it, locations coarsened to ~100 m); the time to the nearest
//! serving station is the straight line × 1.4 (streets are not straight) at 15 km/h (an
//! e-bike in traffic). Cells over the limit with demand are blank spots (空白点); a greedy
//! maximum-coverage pass suggests the next sites.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use h3o::{CellIndex, LatLng as H3LatLng, Resolution};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{json, Value};
use uuid::Uuid;

use super::period::Period;
use super::scope::Area;
use super::SUPPRESS_BELOW;
use crate::entity::{daily_station_visitor, help_request, station};
use crate::error::{ApiResult, FieldError, Violations};
use crate::state::AppState;
use crate::stations::domain::{haversine_m, LatLng};
use crate::stations::index::Query;

pub const RESOLUTION: Resolution = Resolution::Eight;
pub const DETOUR: f64 = 1.4;
pub const SPEED_KMH: f64 = 15.0;
/// Beyond this no station is looked for: the cell is simply far.
const SEARCH_RADIUS_M: f64 = 20_000.0;

pub fn minutes_for(distance_m: f64) -> f64 {
    distance_m * DETOUR / (SPEED_KMH * 1000.0 / 60.0)
}

pub fn parse(v: &mut Violations, minutes: Option<&str>, suggestions: Option<&str>) -> (u32, usize) {
    let num = |v: &mut Violations,
               field: &str,
               raw: Option<&str>,
               default: u32,
               range: std::ops::RangeInclusive<u32>| {
        match raw.map(str::trim).filter(|s| !s.is_empty()) {
            None => default,
            Some(r) => match r.parse::<u32>() {
                Ok(n) if range.contains(&n) => n,
                _ => {
                    v.push(FieldError::new(
                        field,
                        "out_of_range",
                        format!(
                            "{field} must be a whole number from {} to {}",
                            range.start(),
                            range.end()
                        ),
                    ));
                    default
                }
            },
        }
    };
    let minutes = num(v, "minutes", minutes, 15, 5..=60);
    let suggestions = num(v, "suggestions", suggestions, 5, 0..=20) as usize;
    (minutes, suggestions)
}

fn cell_of(lat: f64, lng: f64) -> Option<CellIndex> {
    H3LatLng::new(lat, lng)
        .ok()
        .map(|ll| ll.to_cell(RESOLUTION))
}

fn centre(cell: CellIndex) -> LatLng {
    let ll = H3LatLng::from(cell);
    LatLng {
        lat: ll.lat(),
        lng: ll.lng(),
    }
}

fn polygon(cell: CellIndex) -> Value {
    let mut ring: Vec<[f64; 2]> = cell
        .boundary()
        .iter()
        .map(|p| [round6(p.lng()), round6(p.lat())])
        .collect();
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    json!({"type": "Polygon", "coordinates": [ring]})
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Distinct riders per cell in the area and period.
async fn demand(
    state: &AppState,
    area: &Area,
    period: &Period,
) -> ApiResult<HashMap<CellIndex, HashSet<Uuid>>> {
    let db = &state.db;
    let (from, to) = period.labels();
    let visits: Vec<(Uuid, Uuid)> = daily_station_visitor::Entity::find()
        .select_only()
        .column(daily_station_visitor::Column::StationId)
        .column(daily_station_visitor::Column::RiderId)
        .distinct()
        .filter(area.on(daily_station_visitor::Column::RegionCode))
        .filter(daily_station_visitor::Column::Day.between(from, to))
        .into_tuple()
        .all(db)
        .await?;
    let at: HashMap<Uuid, (f64, f64)> = station::Entity::find()
        .select_only()
        .column(station::Column::Id)
        .column(station::Column::Lat)
        .column(station::Column::Lng)
        .filter(area.on(station::Column::RegionCode))
        .into_tuple::<(Uuid, f64, f64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, lat, lng)| (id, (lat, lng)))
        .collect();
    let mut cells: HashMap<CellIndex, HashSet<Uuid>> = HashMap::new();
    for (station, rider) in visits {
        if let Some(cell) = at.get(&station).and_then(|(lat, lng)| cell_of(*lat, *lng)) {
            cells.entry(cell).or_default().insert(rider);
        }
    }
    let (start, end) = period.bounds();
    let filed: Vec<(Uuid, Option<f64>, Option<f64>)> = help_request::Entity::find()
        .select_only()
        .column(help_request::Column::RiderId)
        .column(help_request::Column::Lat)
        .column(help_request::Column::Lng)
        .filter(area.on_help())
        .filter(help_request::Column::Lat.is_not_null())
        .filter(help_request::Column::CreatedAt.gte(start))
        .filter(help_request::Column::CreatedAt.lt(end))
        .into_tuple()
        .all(db)
        .await?;
    for (rider, lat, lng) in filed {
        if let Some(cell) = lat.zip(lng).and_then(|(lat, lng)| cell_of(lat, lng)) {
            cells.entry(cell).or_default().insert(rider);
        }
    }
    Ok(cells)
}

/// Minutes to the nearest serving station from `at`, if one is within the search radius.
fn nearest_minutes(state: &AppState, at: LatLng) -> Option<f64> {
    let hits = state.stations.nearby(&Query {
        at,
        radius_m: SEARCH_RADIUS_M,
        limit: 8,
        amenity_mask: 0,
        open_now: false,
        now: Utc::now(),
    });
    hits.iter()
        .find(|h| h.card.status.is_serving())
        .map(|h| (minutes_for(h.distance_m) * 10.0).round() / 10.0)
}

struct Cell {
    id: CellIndex,
    at: LatLng,
    riders: usize,
    minutes: Option<f64>,
}

/// Greedy maximum coverage: each step picks the blank-spot centre that brings the most
/// uncovered demand within the limit.
fn suggest(blank: &[&Cell], limit_min: f64, n: usize) -> Vec<(LatLng, usize, usize)> {
    let reach = |a: &Cell, b: &Cell| minutes_for(haversine_m(a.at, b.at)) <= limit_min;
    let mut covered = vec![false; blank.len()];
    let mut out = Vec::new();
    for _ in 0..n {
        let best = (0..blank.len())
            .map(|i| {
                let gain: usize = (0..blank.len())
                    .filter(|&j| !covered[j] && reach(blank[i], blank[j]))
                    .map(|j| blank[j].riders)
                    .sum();
                (gain, i)
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((gain, i)) = best.filter(|(g, _)| *g > 0) else {
            break;
        };
        let mut cells = 0;
        for j in 0..blank.len() {
            if !covered[j] && reach(blank[i], blank[j]) {
                covered[j] = true;
                cells += 1;
            }
        }
        out.push((blank[i].at, gain, cells));
    }
    out
}

pub async fn coverage(
    state: &AppState,
    area: &Area,
    period: &Period,
    limit: u32,
    n: usize,
) -> ApiResult<Value> {
    let demand = demand(state, area, period).await?;
    let mut cells: Vec<Cell> = demand
        .into_iter()
        .map(|(id, riders)| {
            let at = centre(id);
            Cell {
                id,
                at,
                riders: riders.len(),
                minutes: nearest_minutes(state, at),
            }
        })
        .collect();
    cells.sort_by_key(|c| u64::from(c.id));
    let limit_f = f64::from(limit);
    let is_blank =
        |c: &Cell| c.riders >= SUPPRESS_BELOW as usize && c.minutes.is_none_or(|m| m > limit_f);
    let blank: Vec<&Cell> = cells.iter().filter(|c| is_blank(c)).collect();
    let sites = suggest(&blank, limit_f, n);
    let mut features: Vec<Value> = cells
        .iter()
        .map(|c| {
            let shown = c.riders >= SUPPRESS_BELOW as usize;
            json!({
                "type": "Feature",
                "geometry": polygon(c.id),
                "properties": {
                    "kind": "cell",
                    "cell": c.id.to_string(),
                    "demand": if shown { json!(c.riders) } else { Value::Null },
                    "minutes": c.minutes,
                    "within_limit": c.minutes.is_some_and(|m| m <= limit_f),
                    "blank_spot": is_blank(c),
                }
            })
        })
        .collect();
    for (rank, (at, gain, count)) in sites.iter().enumerate() {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round6(at.lng), round6(at.lat)]},
            "properties": {"kind": "suggested_site", "rank": rank + 1, "covers_demand": gain, "covers_cells": count},
        }));
    }
    Ok(json!({
        "type": "FeatureCollection",
        "features": features,
        "metadata": {
            "region_code": area.code,
            "from": period.from.to_string(),
            "to": period.to.to_string(),
            "minutes": limit,
            "h3_resolution": 8,
            "speed_kmh": SPEED_KMH,
            "detour_factor": DETOUR,
            "suppressed_below": SUPPRESS_BELOW,
            "method": "minutes = straight-line distance to the nearest open or full station × 1.4 at 15 km/h; demand = distinct riders seen in the cell (check-ins, help-request locations); cells with fewer than 5 riders show no demand and are never blank spots",
            "cells": cells.len(),
            "blank_spots": blank.len(),
            "blank_spot_demand": blank.iter().map(|c| c.riders).sum::<usize>(),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(lat: f64, lng: f64, riders: usize) -> Cell {
        let id = cell_of(lat, lng).unwrap();
        Cell {
            id,
            at: LatLng { lat, lng },
            riders,
            minutes: None,
        }
    }

    #[test]
    fn fifteen_minutes_is_about_2_7_km_in_a_straight_line() {
        assert!((minutes_for(2678.6) - 15.0).abs() < 0.01);
        assert_eq!(minutes_for(0.0), 0.0);
    }

    #[test]
    fn the_greedy_pick_covers_the_biggest_cluster_first() {
        // Three cells 1.7 km apart (only the middle one reaches both ends within 15 minutes)
        // and one lone cell 20 km away.
        let cells = [
            cell(31.00, 121.00, 10),
            cell(31.015, 121.00, 10),
            cell(31.03, 121.00, 10),
            cell(31.20, 121.00, 12),
        ];
        let blank: Vec<&Cell> = cells.iter().collect();
        let sites = suggest(&blank, 15.0, 5);
        assert_eq!(sites.len(), 2, "nothing left to cover after two");
        assert_eq!((sites[0].1, sites[0].2), (30, 3));
        assert!(
            (sites[0].0.lat - 31.015).abs() < 1e-9,
            "the middle of the cluster"
        );
        assert_eq!((sites[1].1, sites[1].2), (12, 1));
        assert!(suggest(&blank, 15.0, 0).is_empty());
    }

    #[test]
    fn cells_are_hexagons_closed_rings() {
        let c = cell_of(31.2304, 121.4737).unwrap();
        let p = polygon(c);
        let ring = p["coordinates"][0].as_array().unwrap();
        assert_eq!(ring.len(), 7);
        assert_eq!(ring[0], ring[6]);
    }
}
