//! Import: validates every row like `POST /stations` and, only if all pass, upserts them by
//! `external_id` in one transaction, then brings the index, the caches and the feed up to date.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::parse::{parse_csv, parse_geojson, RawRow};
use super::Format;
use crate::entity::{region, station, station_change};
use crate::error::{ApiError, ApiResult, Code, FieldError, Problem};
use crate::state::AppState;
use crate::stations::domain::{
    amenities_to_db, contact_phone, parse_amenities, text, Amenity, LatLng, StationStatus,
};
use crate::stations::{checkin, feed, hours, sync};

/// Largest import file accepted over HTTP.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;
/// Rows per INSERT: 20 columns x 500 stays far below SQLite's and PostgreSQL's bind limits.
const WRITE_CHUNK: usize = 500;
/// Above this many stations an import writes its feed rows in bulk and reloads the index whole
/// instead of refreshing row by row.
const BULK_REFRESH: usize = 1000;

/// One rejected row and every reason.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RejectedRow {
    /// CSV: the spreadsheet row number (the header is row 1). GeoJSON: the index in `features`,
    /// from 0.
    pub row: u64,
    pub external_id: Option<String>,
    pub errors: Vec<FieldError>,
}

/// What an import did (or, when rows were rejected, why it did nothing).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
    pub rejected: Vec<RejectedRow>,
    /// Columns or properties the importer does not know, so did not read (check for typos).
    pub ignored_fields: Vec<String>,
}

/// The 422 body: a problem whose `errors` name `rows[N].field` / `features[N].field`, plus
/// the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProblem {
    #[serde(flatten)]
    pub problem: Problem,
    /// Absent when the file could not be read as rows at all (e.g. not a FeatureCollection).
    #[schema(required = false)]
    pub report: ImportReport,
}

pub enum ImportOutcome {
    /// Every row was valid and has been written.
    Written(ImportReport),
    /// At least one row was rejected; nothing was written.
    Rejected(ImportReport),
}

/// A row that passed every rule (`None` on an optional field: keep the current value).
#[derive(Debug, Clone)]
struct ValidRow {
    external_id: String,
    name: String,
    name_en: Option<Option<String>>,
    address: String,
    at: LatLng,
    region_code: String,
    opening_hours: String,
    amenities: Option<Vec<Amenity>>,
    capacity: i32,
    status: Option<StationStatus>,
    contact_phone: Option<Option<String>>,
}

/// The same rules as `POST /stations`, plus a required `external_id`.
fn validate(raw: RawRow, regions: &HashSet<String>) -> Result<ValidRow, Vec<FieldError>> {
    let mut errors = raw.errors;
    let mut keep = |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).ok();
    let external_id = match raw.external_id.as_deref() {
        Some(e) => keep(text("external_id", e, 64)),
        None => {
            keep(Err(FieldError::new(
                "external_id",
                "required",
                "external_id is required: import matches stations by it",
            )));
            None
        }
    };
    let name = keep(text("name", raw.name.as_deref().unwrap_or(""), 80));
    let name_en = raw
        .name_en
        .map(|n| n.and_then(|n| keep(text("name_en", &n, 120))));
    let address = keep(text("address", raw.address.as_deref().unwrap_or(""), 200));
    let contact = raw
        .contact_phone
        .map(|p| p.and_then(|p| keep(contact_phone(&p))));
    let region_code = match raw.region_code {
        None => {
            keep(Err(FieldError::new(
                "region_code",
                "required",
                "must not be empty",
            )));
            None
        }
        Some(code) if regions.contains(&code) => Some(code),
        Some(code) => {
            keep(Err(FieldError::new(
                "region_code",
                "unknown_region",
                format!("no region with code {code}"),
            )));
            None
        }
    };
    let at = match (raw.lat, raw.lng) {
        (Some(lat), Some(lng)) => LatLng::parse(lat, lng).map_err(|e| errors.extend(e)).ok(),
        (lat, lng) => {
            // A number that failed to parse was reported already; only name absent ones here.
            for (field, v) in [("lat", lat), ("lng", lng)] {
                let reported = errors
                    .iter()
                    .any(|e| e.field == field || e.field.starts_with("geometry"));
                if v.is_none() && !reported {
                    errors.push(FieldError::new(
                        field,
                        "required",
                        format!("{field} is required"),
                    ));
                }
            }
            None
        }
    };
    let opening_hours = raw.opening_hours.unwrap_or_default();
    let hours_ok = hours::parse(&opening_hours)
        .map_err(|e| errors.push(e))
        .is_ok();
    let amenities = raw.amenities.and_then(|codes| {
        parse_amenities("amenities", codes.iter().map(String::as_str))
            .map_err(|e| errors.push(e))
            .ok()
    });
    // Same range as create and patch.
    let capacity = match raw.capacity {
        Some(c) if (0..=10_000).contains(&c) => Some(c as i32),
        Some(_) => {
            errors.push(FieldError::new(
                "capacity",
                "out_of_range",
                "capacity must be between 0 and 10000",
            ));
            None
        }
        None => {
            if !errors.iter().any(|e| e.field == "capacity") {
                errors.push(FieldError::new(
                    "capacity",
                    "required",
                    "capacity is required",
                ));
            }
            None
        }
    };
    let status = match raw.status.as_deref() {
        None => None,
        Some(s) => match StationStatus::parse(s) {
            Some(st) => Some(st),
            None => {
                errors.push(FieldError::new(
                    "status",
                    "invalid_status",
                    "status must be open, full, temporarily_closed or closed_permanently",
                ));
                None
            }
        },
    };
    match (external_id, name, address, region_code, at, capacity) {
        (
            Some(external_id),
            Some(name),
            Some(address),
            Some(region_code),
            Some(at),
            Some(capacity),
        ) if errors.is_empty() && hours_ok => Ok(ValidRow {
            external_id,
            name,
            name_en,
            address,
            at,
            region_code,
            opening_hours: opening_hours.trim().to_string(),
            amenities,
            capacity,
            status,
            contact_phone: contact,
        }),
        _ => Err(errors),
    }
}

async fn region_codes(db: &DatabaseConnection) -> Result<HashSet<String>, sea_orm::DbErr> {
    let codes: Vec<String> = region::Entity::find()
        .select_only()
        .column(region::Column::Code)
        .into_tuple()
        .all(db)
        .await?;
    Ok(codes.into_iter().collect())
}

/// Parses, validates and (if every row is valid) writes a file. Authorization is the caller's.
pub async fn import(state: &AppState, format: Format, bytes: &[u8]) -> ApiResult<ImportOutcome> {
    let (raw_rows, ignored_fields) = match format {
        Format::GeoJson => parse_geojson(bytes)?,
        Format::Csv => parse_csv(bytes)?,
    };
    let regions = region_codes(&state.db).await?;
    let mut first_row: HashMap<String, u64> = HashMap::new();
    let mut valid = Vec::with_capacity(raw_rows.len());
    let mut rejected = Vec::new();
    for raw in raw_rows {
        let row = raw.row;
        let external_id = raw.external_id.clone();
        let mut result = validate(raw, &regions);
        // Two rows for one station would make the outcome depend on their order.
        if let Some(id) = &external_id {
            if let Some(first) = first_row.get(id) {
                let dup = FieldError::new(
                    "external_id",
                    "duplicate",
                    format!("external_id {id} is also in row {first}"),
                );
                result = Err(match result {
                    Ok(_) => vec![dup],
                    Err(mut e) => {
                        e.push(dup);
                        e
                    }
                });
            } else {
                first_row.insert(id.clone(), row);
            }
        }
        match result {
            Ok(v) => valid.push(v),
            Err(errors) => rejected.push(RejectedRow {
                row,
                external_id,
                errors,
            }),
        }
    }
    if !rejected.is_empty() {
        return Ok(ImportOutcome::Rejected(ImportReport {
            created: 0,
            updated: 0,
            rejected,
            ignored_fields,
        }));
    }
    let (created, updated, changes) = write(&state.db, valid).await?;
    refresh_index(state, &changes).await;
    tracing::info!(created, updated, "stations imported");
    Ok(ImportOutcome::Written(ImportReport {
        created,
        updated,
        rejected: Vec::new(),
        ignored_fields,
    }))
}

/// The row to write: the file's values, and for optional fields the file left out, the
/// current station's (`current` is None for a new station).
fn active_model(
    r: ValidRow,
    id: Uuid,
    current: Option<&station::Model>,
    now: DateTime<Utc>,
) -> station::ActiveModel {
    let status = r
        .status
        .or_else(|| current.and_then(|c| StationStatus::parse(&c.status)))
        .unwrap_or(StationStatus::Open);
    let amenities = match r.amenities {
        Some(a) => amenities_to_db(&a),
        None => current.map(|c| c.amenities.clone()).unwrap_or_default(),
    };
    station::ActiveModel {
        id: Set(id),
        external_id: Set(Some(r.external_id)),
        name: Set(r.name),
        name_en: Set(r
            .name_en
            .unwrap_or_else(|| current.and_then(|c| c.name_en.clone()))),
        address: Set(r.address),
        lat: Set(r.at.lat),
        lng: Set(r.at.lng),
        region_code: Set(r.region_code),
        opening_hours: Set(r.opening_hours),
        amenities: Set(amenities),
        capacity: Set(r.capacity),
        status: Set(status.as_str().into()),
        occupancy: Set(0),
        occupancy_set_at: Set(None),
        contact_phone: Set(r
            .contact_phone
            .unwrap_or_else(|| current.and_then(|c| c.contact_phone.clone()))),
        checkin_code: Set(checkin::new_code()),
        checkin_rotated_at: Set(now),
        last_verified_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// One transaction: inserts new stations, rewrites the file's fields of existing ones (their
/// occupancy, check-in code and history stay), and appends every id to the change feed.
/// Returns the counts and each station's change sequence number.
async fn write(db: &DatabaseConnection, rows: Vec<ValidRow>) -> ApiResult<(u64, u64, Changes)> {
    let now = Utc::now();
    let txn = db.begin().await?;
    let mut existing: HashMap<String, station::Model> = HashMap::new();
    for chunk in rows.chunks(WRITE_CHUNK) {
        let keys: Vec<String> = chunk.iter().map(|r| r.external_id.clone()).collect();
        let found = station::Entity::find()
            .filter(station::Column::ExternalId.is_in(keys))
            .all(&txn)
            .await?;
        for row in found {
            if let Some(ext) = row.external_id.clone() {
                existing.insert(ext, row);
            }
        }
    }
    let mut creates = Vec::new();
    let mut updates = Vec::new();
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        match existing.get(&r.external_id) {
            Some(current) => {
                ids.push(current.id);
                updates.push(active_model(r, current.id, Some(current), now));
            }
            None => {
                let id = Uuid::now_v7();
                ids.push(id);
                creates.push(active_model(r, id, None, now));
            }
        }
    }
    let (created, updated) = (creates.len() as u64, updates.len() as u64);
    for chunk in creates.chunks(WRITE_CHUNK) {
        station::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(|e| {
                ApiError::on_unique(
                    e,
                    Code::Conflict,
                    "another write added one of these external_ids meanwhile; import again",
                )
            })?;
    }
    // An upsert on the primary key updates many rows per statement, portably.
    let update_columns = [
        station::Column::Name,
        station::Column::NameEn,
        station::Column::Address,
        station::Column::Lat,
        station::Column::Lng,
        station::Column::RegionCode,
        station::Column::OpeningHours,
        station::Column::Amenities,
        station::Column::Capacity,
        station::Column::Status,
        station::Column::ContactPhone,
        station::Column::LastVerifiedAt,
        station::Column::UpdatedAt,
    ];
    for chunk in updates.chunks(WRITE_CHUNK) {
        station::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(station::Column::Id)
                    .update_columns(update_columns)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    let changes = if ids.len() <= BULK_REFRESH {
        let mut each = Vec::with_capacity(ids.len());
        for id in ids {
            each.push((id, sync::record_change(&txn, id).await?));
        }
        Changes::Each(each)
    } else {
        // The same feed rows `record_change` writes, many per statement: one round trip per
        // row would dominate a large import on PostgreSQL.
        let at = Utc::now();
        for chunk in ids.chunks(WRITE_CHUNK) {
            let rows = chunk.iter().map(|id| station_change::ActiveModel {
                station_id: Set(*id),
                changed_at: Set(at),
                ..Default::default()
            });
            station_change::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await?;
        }
        let last_seq = sync::max_seq(&txn).await?;
        Changes::Bulk { ids, last_seq }
    };
    txn.commit().await?;
    Ok((created, updated, changes))
}

/// The change-feed entries an import wrote.
enum Changes {
    /// One sequence number per station (small imports: each is refreshed and published).
    Each(Vec<(Uuid, i64)>),
    /// Many stations and the feed's last sequence number after them.
    Bulk { ids: Vec<Uuid>, last_seq: i64 },
}

/// Brings this instance's index and the shared detail cache up to date after an import and
/// tells the other instances.
async fn refresh_index(state: &AppState, changes: &Changes) {
    match changes {
        Changes::Each(each) => {
            for (id, seq) in each {
                sync::after_write(state, *id, *seq).await;
            }
        }
        Changes::Bulk { ids, last_seq } => {
            // One reload beats thousands of single-row refreshes.
            if let Err(e) = sync::load_all(state).await {
                tracing::warn!(error = %e, "index reload after import failed; the poller will catch up");
            }
            for id in ids {
                feed::drop_detail(state, *id).await;
            }
            // The last change alone: other instances see the jump in sequence numbers and
            // resync from the database feed.
            if let Some(id) = ids.last() {
                feed::publish(state, *last_seq, *id).await;
            }
        }
    }
}

/// The 422 problem for a rejected file.
pub fn rejection(format: Format, report: ImportReport) -> ImportProblem {
    let errors: Vec<FieldError> = report
        .rejected
        .iter()
        .flat_map(|r| {
            let at = format.locate(r.row);
            r.errors.iter().map(move |e| FieldError {
                field: format!("{at}.{}", e.field),
                ..e.clone()
            })
        })
        .collect();
    let mut problem = ApiError::validation(errors).problem();
    problem.detail = format!(
        "{} row(s) rejected; nothing was written",
        report.rejected.len()
    );
    ImportProblem { problem, report }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> HashSet<String> {
        ["310106013".to_string()].into_iter().collect()
    }

    const HEADER: &str = "external_id,name,address,lat,lng,region_code,opening_hours,amenities,capacity,status,contact_phone";

    #[test]
    fn csv_rows_validate_and_report_every_problem() {
        let csv = format!(
            "\u{feff}{HEADER},colour\n\
             a1,静安寺站,华山路1号,31.22,121.44,310106013,24/7,drinking_water;wifi,12,,021-1234 5678,red\n\
             ,无编号,路2号,95,121.4,999,Mo-Xx 25:00,jacuzzi,-1,broken,x,blue\n"
        );
        let (rows, ignored) = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(ignored, ["colour"]);
        let mut rows = rows.into_iter();
        let ok = validate(rows.next().unwrap(), &regions()).unwrap();
        assert_eq!(
            ok.amenities,
            Some(vec![Amenity::DrinkingWater, Amenity::Wifi])
        );
        assert_eq!((ok.at.lat, ok.at.lng), (31.22, 121.44));
        let bad = rows.next().unwrap();
        assert_eq!(bad.row, 3);
        let mut fields: Vec<String> = validate(bad, &regions())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                "amenities",
                "capacity",
                "contact_phone",
                "external_id",
                "lat",
                "opening_hours",
                "region_code",
                "status"
            ]
        );
    }

    #[test]
    fn geojson_reads_lng_lat_order_and_flags_bad_geometry() {
        let doc = serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.44, 31.22]},
             "properties": {"external_id": 7, "name": "n", "address": "a", "region_code": "310106013",
                            "opening_hours": "24/7", "amenities": ["wifi"], "capacity": 10}},
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": []}, "properties": null}
        ]});
        let (rows, _) = parse_geojson(doc.to_string().as_bytes()).unwrap();
        let mut rows = rows.into_iter();
        let ok = validate(rows.next().unwrap(), &regions()).unwrap();
        assert_eq!(
            (ok.at.lat, ok.at.lng, ok.external_id.as_str()),
            (31.22, 121.44, "7")
        );
        let errs = validate(rows.next().unwrap(), &regions()).unwrap_err();
        assert!(errs.iter().any(|e| e.field == "geometry"));
        assert!(!errs.iter().any(|e| e.field == "lat"));
        assert!(parse_geojson(b"{\"type\":\"Feature\"}").is_err());
        assert_eq!(parse_geojson(b"{").err().unwrap().code, Code::MalformedJson);
    }
}
