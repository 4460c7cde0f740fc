//! Export: every station (optionally one region's) as GeoJSON or CSV, streamed page by page.

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{csv_safe, Format, CSV_COLUMNS};
use crate::entity::station;
use crate::error::ApiError;
use crate::state::AppState;
use crate::stations::domain::{amenities_from_db, Amenity, StationStatus};

/// Rows per export page: each page is one short query, so a slow download never holds a
/// database connection (SQLite's pool has one).
const EXPORT_PAGE: u64 = 1000;

/// The public fields of a station, as GeoJSON properties.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StationProperties {
    pub id: Uuid,
    pub external_id: Option<String>,
    #[schema(example = "静安寺街道暖新驿站")]
    pub name: String,
    pub name_en: Option<String>,
    pub address: String,
    pub region_code: String,
    #[schema(example = "24/7")]
    pub opening_hours: String,
    pub amenities: Vec<Amenity>,
    pub capacity: i32,
    pub status: StationStatus,
    pub contact_phone: Option<String>,
    pub last_verified_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A GeoJSON Point: `coordinates` are `[longitude, latitude]` in WGS-84 (RFC 7946).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PointGeometry {
    #[schema(example = "Point")]
    pub r#type: String,
    #[schema(example = json!([121.4452, 31.2235]))]
    pub coordinates: [f64; 2],
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StationFeature {
    #[schema(example = "Feature")]
    pub r#type: String,
    pub id: Uuid,
    pub geometry: PointGeometry,
    pub properties: StationProperties,
}

/// Every station as an RFC 7946 FeatureCollection.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StationCollection {
    #[schema(example = "FeatureCollection")]
    pub r#type: String,
    pub features: Vec<StationFeature>,
}

/// Seven decimals (about 1 cm) keeps files small without moving anything measurably.
fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

fn properties(row: station::Model) -> StationProperties {
    StationProperties {
        id: row.id,
        external_id: row.external_id,
        name: row.name,
        name_en: row.name_en,
        address: row.address,
        region_code: row.region_code,
        opening_hours: row.opening_hours,
        amenities: amenities_from_db(&row.amenities),
        capacity: row.capacity,
        status: StationStatus::parse(&row.status).unwrap_or(StationStatus::TemporarilyClosed),
        contact_phone: row.contact_phone,
        last_verified_at: row.last_verified_at,
        updated_at: row.updated_at,
    }
}

pub fn feature(row: station::Model) -> StationFeature {
    StationFeature {
        r#type: "Feature".into(),
        id: row.id,
        geometry: PointGeometry {
            r#type: "Point".into(),
            coordinates: [round7(row.lng), round7(row.lat)],
        },
        properties: properties(row),
    }
}

/// The API's time format (UTC with `Z`).
fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn csv_record(row: station::Model) -> [String; 15] {
    let opt = |v: &Option<String>| v.as_deref().map(csv_safe).unwrap_or_default();
    let amenities: Vec<&str> = amenities_from_db(&row.amenities)
        .into_iter()
        .map(Amenity::code)
        .collect();
    [
        row.id.to_string(),
        opt(&row.external_id),
        csv_safe(&row.name),
        opt(&row.name_en),
        csv_safe(&row.address),
        round7(row.lat).to_string(),
        round7(row.lng).to_string(),
        row.region_code,
        csv_safe(&row.opening_hours),
        amenities.join(";"),
        row.capacity.to_string(),
        row.status,
        row.contact_phone.unwrap_or_default(),
        row.last_verified_at.map(rfc3339).unwrap_or_default(),
        rfc3339(row.updated_at),
    ]
}

/// CSV as every export writes it.
pub fn csv_writer() -> csv::Writer<Vec<u8>> {
    // CRLF as RFC 4180 asks; spreadsheets and scripts read it alike.
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn csv_chunk(rows: Vec<station::Model>, header: bool) -> Result<Bytes, ApiError> {
    let mut w = csv_writer();
    let fail = |e: csv::Error| ApiError::internal("csv export", e);
    if header {
        w.write_record(CSV_COLUMNS).map_err(fail)?;
    }
    for row in rows {
        w.write_record(csv_record(row)).map_err(fail)?;
    }
    let mut out = Vec::new();
    if header {
        // A UTF-8 byte order mark: Excel on Chinese Windows otherwise reads the file as GBK
        // and garbles every name. Other CSV readers skip it (and import does too).
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    out.extend(
        w.into_inner()
            .map_err(|e| ApiError::internal("csv export", e))?,
    );
    Ok(Bytes::from(out))
}

fn geojson_chunk(rows: Vec<station::Model>, mut first: bool) -> Result<Bytes, ApiError> {
    let mut out = Vec::with_capacity(rows.len() * 512);
    for row in rows {
        if !first {
            out.push(b',');
        }
        first = false;
        serde_json::to_writer(&mut out, &feature(row))
            .map_err(|e| ApiError::internal("geojson export", e))?;
    }
    Ok(Bytes::from(out))
}

/// One page of stations after `after` (by id: keyset paging stays fast at any depth).
pub async fn export_page(
    db: &DatabaseConnection,
    region: Option<&str>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<station::Model>, sea_orm::DbErr> {
    let mut cond = Condition::all();
    if let Some(r) = region {
        cond = cond.add(station::Column::RegionCode.starts_with(r));
    }
    if let Some(id) = after {
        cond = cond.add(station::Column::Id.gt(id));
    }
    station::Entity::find()
        .filter(cond)
        .order_by_asc(station::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

enum Step {
    Start,
    Page { after: Option<Uuid>, first: bool },
    Tail,
    Done,
}

fn tail(format: Format) -> Bytes {
    match format {
        Format::GeoJson => Bytes::from_static(b"]}\n"),
        Format::Csv => Bytes::new(),
    }
}

/// The export as a stream of chunks: the opening, one chunk per page, the closing.
/// An error mid-stream ends the body early, so a client never mistakes it for a whole file.
pub fn export_stream(
    state: AppState,
    region: Option<String>,
    format: Format,
) -> impl Stream<Item = Result<Bytes, ApiError>> {
    stream::unfold(Step::Start, move |step| {
        let state = state.clone();
        let region = region.clone();
        async move {
            let (chunk, next) = match step {
                Step::Done => return None,
                Step::Tail => (Ok(tail(format)), Step::Done),
                Step::Start => {
                    let head = match format {
                        Format::GeoJson => Ok(Bytes::from_static(
                            br#"{"type":"FeatureCollection","features":["#,
                        )),
                        Format::Csv => csv_chunk(Vec::new(), true),
                    };
                    let next = Step::Page {
                        after: None,
                        first: true,
                    };
                    (head, next)
                }
                Step::Page { after, first } => {
                    match export_page(&state.db, region.as_deref(), after, EXPORT_PAGE).await {
                        Err(e) => (Err(ApiError::from(e)), Step::Done),
                        Ok(rows) if rows.is_empty() => (Ok(tail(format)), Step::Done),
                        Ok(rows) => {
                            // A short page was the last one: close without another query.
                            let next = match rows.last() {
                                Some(last) if rows.len() as u64 == EXPORT_PAGE => Step::Page {
                                    after: Some(last.id),
                                    first: false,
                                },
                                _ => Step::Tail,
                            };
                            let chunk = match format {
                                Format::GeoJson => geojson_chunk(rows, first),
                                Format::Csv => csv_chunk(rows, false),
                            };
                            (chunk, next)
                        }
                    }
                }
            };
            let next = if chunk.is_err() { Step::Done } else { next };
            Some((chunk, next))
        }
    })
}
