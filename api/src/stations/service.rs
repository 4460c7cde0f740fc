//! Station rules: who may change what, validation, and keeping the index and cache in step.

use std::time::Duration as StdDuration;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};
use uuid::Uuid;

use super::card::Card;
use super::domain::{amenities_to_db, contact_phone, parse_amenities, text, LatLng, StationStatus};
use super::dto::*;
use super::hours::{self, HoursState, Openness};
use super::index::Query;
use super::{checkin, sync};
use crate::auth::{AuthUser, Role};
use crate::entity::{region, station};
use crate::error::{ApiError, ApiResult, Code, FieldError, Violations};
use crate::http::paging::page_params;
use crate::state::AppState;

pub const MAX_RADIUS_M: f64 = 20_000.0;
pub const MAX_LIMIT: usize = 50;
const DETAIL_TTL: StdDuration = StdDuration::from_secs(60);

fn point(at: LatLng) -> Point {
    Point {
        lat: at.lat,
        lng: at.lng,
    }
}

/// `(closes_at, opens_at)`. A station its operator closed (or closed for good) has neither:
/// its hours say nothing about when it reopens. Unknown hours have neither either.
fn opens_closes(
    status: StationStatus,
    state: HoursState,
) -> (Option<chrono::DateTime<Utc>>, Option<chrono::DateTime<Utc>>) {
    match (status.is_serving(), state.state) {
        (false, _) | (_, Openness::Unknown) => (None, None),
        (true, Openness::Open) => (state.next_change, None),
        (true, Openness::Closed) => (None, state.next_change),
    }
}

/// `StationCardDto` borrowed from the card: nearby serialises straight from the index,
/// without copying every string of every hit (the hot path's main cost).
#[derive(serde::Serialize)]
struct CardView<'a> {
    id: Uuid,
    name: &'a str,
    name_en: Option<&'a str>,
    address: &'a str,
    lat: f64,
    lng: f64,
    gcj02: Point,
    distance_m: u32,
    open_now: bool,
    hours_state: Openness,
    closes_at: Option<chrono::DateTime<Utc>>,
    opens_at: Option<chrono::DateTime<Utc>>,
    status: StationStatus,
    occupancy: i32,
    capacity: i32,
    amenities: &'a [super::domain::Amenity],
    opening_hours: &'a str,
    updated_at: chrono::DateTime<Utc>,
}

#[derive(serde::Serialize)]
struct NearbyView<'a> {
    items: Vec<CardView<'a>>,
}

fn card_view(card: &Card, distance_m: f64, now: chrono::DateTime<Utc>) -> CardView<'_> {
    let state = card.hours_state(now);
    let (closes_at, opens_at) = opens_closes(card.status, state);
    CardView {
        id: card.id,
        name: &card.name,
        name_en: card.name_en.as_deref(),
        address: &card.address,
        lat: card.at.lat,
        lng: card.at.lng,
        gcj02: point(card.gcj),
        distance_m: distance_m.round() as u32,
        open_now: card.open_now(state),
        hours_state: state.state,
        closes_at,
        opens_at,
        status: card.status,
        occupancy: card.occupancy(now),
        capacity: card.capacity,
        amenities: &card.amenities,
        opening_hours: &card.opening_hours,
        updated_at: card.updated_at,
    }
}

fn parse_nearby(p: &NearbyParams) -> ApiResult<Query> {
    let mut v = Violations::default();
    let number = |v: &mut Violations, field: &str, raw: Option<&String>| -> Option<f64> {
        let raw = raw?;
        match raw.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                v.push(FieldError::new(
                    field,
                    "not_a_number",
                    format!("{field} must be a number"),
                ));
                None
            }
        }
    };
    if p.lat.is_none() {
        v.push(FieldError::new("lat", "required", "lat is required"));
    }
    if p.lng.is_none() {
        v.push(FieldError::new("lng", "required", "lng is required"));
    }
    let lat = number(&mut v, "lat", p.lat.as_ref());
    let lng = number(&mut v, "lng", p.lng.as_ref());
    let radius = number(&mut v, "radius_m", p.radius_m.as_ref()).unwrap_or(3000.0);
    if !(1.0..=MAX_RADIUS_M).contains(&radius) {
        v.push(FieldError::new(
            "radius_m",
            "out_of_range",
            "radius_m must be between 1 and 20000",
        ));
    }
    let limit = number(&mut v, "limit", p.limit.as_ref()).unwrap_or(20.0);
    if !(1.0..=MAX_LIMIT as f64).contains(&limit) || limit.fract() != 0.0 {
        v.push(FieldError::new(
            "limit",
            "out_of_range",
            "limit must be a whole number between 1 and 50",
        ));
    }
    let amenities = p
        .amenities
        .as_deref()
        .map(|a| parse_amenities("amenities", a.split(',')))
        .transpose();
    let amenities = v.check(amenities).flatten().unwrap_or_default();
    let open_now = match p.open_now.as_deref().map(str::trim) {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => {
            v.push(FieldError::new(
                "open_now",
                "invalid_boolean",
                "open_now must be true or false",
            ));
            false
        }
    };
    let gcj = match p.coord.as_deref().map(str::trim) {
        None | Some("") | Some("wgs84") => false,
        Some("gcj02") => true,
        Some(_) => {
            v.push(FieldError::new(
                "coord",
                "unknown_datum",
                "coord must be wgs84 or gcj02",
            ));
            false
        }
    };
    let at = match (lat, lng) {
        (Some(lat), Some(lng)) => match LatLng::parse(lat, lng) {
            Ok(at) => Some(at),
            Err(errs) => {
                errs.into_iter().for_each(|e| v.push(e));
                None
            }
        },
        _ => None,
    };
    v.finish()?;
    let at =
        at.ok_or_else(|| ApiError::internal("nearby", "coordinates missing after validation"))?;
    Ok(Query {
        at: if gcj { at.from_gcj02() } else { at },
        radius_m: radius,
        limit: limit as usize,
        amenity_mask: super::domain::mask(&amenities),
        open_now,
        now: Utc::now(),
    })
}

/// Nearest stations from the in-process index; never touches the database or Redis.
/// Nearest stations from the in-process index, as the JSON body of `NearbyResponse`; never
/// touches the database or Redis.
pub fn nearby(state: &AppState, params: &NearbyParams) -> ApiResult<Vec<u8>> {
    let q = parse_nearby(params)?;
    let hits = state.stations.nearby(&q);
    let view = NearbyView {
        items: hits
            .iter()
            .map(|h| card_view(&h.card, h.distance_m, q.now))
            .collect(),
    };
    let mut body = Vec::with_capacity(64 + hits.len() * 640);
    serde_json::to_writer(&mut body, &view).map_err(|e| ApiError::internal("nearby json", e))?;
    Ok(body)
}

pub async fn detail_from_row(
    state: &AppState,
    row: &station::Model,
) -> ApiResult<StationDetailDto> {
    let card = match state.stations.get(&row.id) {
        Some(c) if c.updated_at == row.updated_at => c,
        _ => std::sync::Arc::new(sync::card_for(state, row).await?),
    };
    let now = Utc::now();
    let hs = card.hours_state(now);
    let (closes_at, opens_at) = opens_closes(card.status, hs);
    Ok(StationDetailDto {
        id: row.id,
        external_id: row.external_id.clone(),
        name: row.name.clone(),
        name_en: row.name_en.clone(),
        address: row.address.clone(),
        lat: row.lat,
        lng: row.lng,
        gcj02: point(card.gcj),
        region_code: row.region_code.clone(),
        open_now: card.open_now(hs),
        hours_state: hs.state,
        closes_at,
        opens_at,
        status: card.status,
        occupancy: card.occupancy(now),
        capacity: row.capacity,
        amenities: card.amenities.clone(),
        opening_hours: row.opening_hours.clone(),
        contact_phone: row.contact_phone.clone(),
        last_verified_at: row.last_verified_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Detail: the shared cache first (kept short-lived, since occupancy decays), then the database.
pub async fn detail(state: &AppState, id: Uuid) -> ApiResult<String> {
    let key = sync::detail_cache_key(id);
    if let Some(json) = state.cache.get(&key).await {
        return Ok(json);
    }
    let row = station::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let dto = detail_from_row(state, &row).await?;
    let json = serde_json::to_string(&dto).map_err(|e| ApiError::internal("detail json", e))?;
    // A write that committed after our read has already refreshed the index (and dropped the
    // key); caching our older row now would undo that, so only cache what is still current.
    let superseded = state
        .stations
        .get(&id)
        .is_some_and(|card| card.updated_at > row.updated_at);
    if !superseded {
        state.cache.set(&key, &json, DETAIL_TTL).await;
    }
    Ok(json)
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn list(state: &AppState, p: &ListParams) -> ApiResult<StationPage> {
    let mut v = Violations::default();
    let (page, per_page) = page_params(&mut v, p.page.as_deref(), p.per_page.as_deref());
    if p.q.as_deref().is_some_and(|q| q.chars().count() > 100) {
        v.push(FieldError::new(
            "q",
            "too_long",
            "q must be at most 100 characters",
        ));
    }
    v.finish()?;
    let mut cond = Condition::all();
    if let Some(region) = p.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        if region.len() > 12 || !region.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::field(
                "region",
                "invalid_region",
                "region must be a division code",
            ));
        }
        cond = cond.add(station::Column::RegionCode.starts_with(region));
    }
    if let Some(q) = p.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // SQLite has no default LIKE escape character; name it so `%` and `_` stay literal.
        // LOWER() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
        let pattern =
            || LikeExpr::new(format!("%{}%", like_escape(&q.to_lowercase()))).escape('\\');
        let lower = |c: station::Column| Expr::expr(Func::lower(Expr::col(c)));
        cond = cond.add(
            Condition::any()
                .add(lower(station::Column::Name).like(pattern()))
                .add(lower(station::Column::Address).like(pattern()))
                .add(lower(station::Column::NameEn).like(pattern())),
        );
    }
    let paginator = station::Entity::find()
        .filter(cond)
        .order_by_asc(station::Column::Name)
        .order_by_asc(station::Column::Id)
        .paginate(&state.db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(detail_from_row(state, row).await?);
    }
    Ok(StationPage {
        items,
        page,
        per_page,
        total,
    })
}

/// A database that does not answer is an outage (503), never an unknown region.
async fn check_region<C: sea_orm::ConnectionTrait>(
    db: &C,
    v: &mut Violations,
    code: &str,
) -> ApiResult<()> {
    let exists = region::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .is_some();
    if !exists {
        v.push(FieldError::new(
            "region_code",
            "unknown_region",
            format!("no region with code {code}"),
        ));
    }
    Ok(())
}

fn check_count(v: &mut Violations, field: &str, value: i32) {
    if !(0..=10_000).contains(&value) {
        v.push(FieldError::new(
            field,
            "out_of_range",
            format!("{field} must be between 0 and 10000"),
        ));
    }
}

pub async fn create(
    state: &AppState,
    user: &AuthUser,
    req: CreateStation,
) -> ApiResult<StationDetailDto> {
    user.require(&[Role::Admin])?;
    let mut v = Violations::default();
    let name = v.check(text("name", &req.name, 80));
    let name_en = req
        .name_en
        .as_deref()
        .and_then(|n| v.check(text("name_en", n, 120)));
    let address = v.check(text("address", &req.address, 200));
    let at = match LatLng::parse(req.lat, req.lng) {
        Ok(at) => Some(at),
        Err(errs) => {
            errs.into_iter().for_each(|e| v.push(e));
            None
        }
    };
    check_region(&state.db, &mut v, &req.region_code).await?;
    let hours_ok = v.check(hours::parse(&req.opening_hours)).is_some();
    let amenities = v.check(parse_amenities(
        "amenities",
        req.amenities.iter().map(String::as_str),
    ));
    check_count(&mut v, "capacity", req.capacity);
    let phone = req
        .contact_phone
        .as_deref()
        .and_then(|p| v.check(contact_phone(p)));
    let external_id = req
        .external_id
        .as_deref()
        .and_then(|e| v.check(text("external_id", e, 64)));
    v.finish()?;
    let (Some(name), Some(address), Some(at), Some(amenities), true) =
        (name, address, at, amenities, hours_ok)
    else {
        return Err(ApiError::internal(
            "create station",
            "validated fields missing",
        ));
    };
    let now = Utc::now();
    let id = Uuid::now_v7();
    let model = station::ActiveModel {
        id: Set(id),
        external_id: Set(external_id),
        name: Set(name),
        name_en: Set(name_en),
        address: Set(address),
        lat: Set(at.lat),
        lng: Set(at.lng),
        region_code: Set(req.region_code.clone()),
        opening_hours: Set(req.opening_hours.trim().to_string()),
        amenities: Set(amenities_to_db(&amenities)),
        capacity: Set(req.capacity),
        status: Set(req.status.unwrap_or(StationStatus::Open).as_str().into()),
        occupancy: Set(0),
        occupancy_set_at: Set(None),
        contact_phone: Set(phone),
        checkin_code: Set(checkin::new_code()),
        checkin_rotated_at: Set(now),
        last_verified_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let txn = state.db.begin().await?;
    let row = model.insert(&txn).await.map_err(|e| {
        ApiError::on_unique(e, Code::Conflict, "a station with this external_id exists")
    })?;
    let seq = sync::record_change(&txn, id).await?;
    txn.commit().await?;
    sync::after_write(state, id, seq).await;
    tracing::info!(station_id = %id, "station created");
    detail_from_row(state, &row).await
}

/// The station if the caller manages it: admin any, operator their own. Others get 403
/// (stations are public, so there is no existence to hide), missing ones 404.
pub async fn load_managed(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
) -> ApiResult<station::Model> {
    user.require(&[Role::Admin, Role::Operator])?;
    let mut q = station::Entity::find_by_id(id);
    if user.role == Role::Operator {
        if user.station_id != Some(id) {
            let exists = station::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .is_some();
            return Err(if exists {
                ApiError::forbidden("you can only manage your own station")
            } else {
                ApiError::not_found()
            });
        }
        q = q.filter(station::Column::Id.eq(id));
    }
    q.one(&state.db).await?.ok_or_else(ApiError::not_found)
}

pub async fn patch(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    req: PatchStation,
) -> ApiResult<StationDetailDto> {
    let admin_only = req.name.is_some()
        || req.name_en.is_some()
        || req.address.is_some()
        || req.lat.is_some()
        || req.lng.is_some()
        || req.region_code.is_some()
        || req.contact_phone.is_some()
        || req.status == Some(StationStatus::ClosedPermanently);
    if admin_only && user.role != Role::Admin {
        user.require(&[Role::Admin])?;
    }
    let row = load_managed(state, user, id).await?;
    // Closing for good is the admin's DELETE; only an admin may undo it.
    if row.status == StationStatus::ClosedPermanently.as_str() && user.role != Role::Admin {
        return Err(ApiError::forbidden(
            "this station is closed permanently; only an admin can change it",
        ));
    }
    let mut v = Violations::default();
    let mut active: station::ActiveModel = row.clone().into();
    let now = Utc::now();
    if let Some(name) = req
        .name
        .as_deref()
        .and_then(|n| v.check(text("name", n, 80)))
    {
        active.name = Set(name);
    }
    if let Some(name_en) = &req.name_en {
        active.name_en = Set(v.check(text("name_en", name_en, 120)));
    }
    if let Some(address) = req
        .address
        .as_deref()
        .and_then(|a| v.check(text("address", a, 200)))
    {
        active.address = Set(address);
    }
    if req.lat.is_some() || req.lng.is_some() {
        match LatLng::parse(req.lat.unwrap_or(row.lat), req.lng.unwrap_or(row.lng)) {
            Ok(at) => {
                active.lat = Set(at.lat);
                active.lng = Set(at.lng);
            }
            Err(errs) => errs.into_iter().for_each(|e| v.push(e)),
        }
    }
    if let Some(code) = &req.region_code {
        check_region(&state.db, &mut v, code).await?;
        active.region_code = Set(code.clone());
    }
    if let Some(phone) = req
        .contact_phone
        .as_deref()
        .and_then(|p| v.check(contact_phone(p)))
    {
        active.contact_phone = Set(Some(phone));
    }
    if let Some(expr) = &req.opening_hours {
        if v.check(hours::parse(expr)).is_some() {
            active.opening_hours = Set(expr.trim().to_string());
        }
    }
    if let Some(list) = &req.amenities {
        if let Some(a) = v.check(parse_amenities(
            "amenities",
            list.iter().map(String::as_str),
        )) {
            active.amenities = Set(amenities_to_db(&a));
        }
    }
    if let Some(capacity) = req.capacity {
        check_count(&mut v, "capacity", capacity);
        active.capacity = Set(capacity);
    }
    if let Some(occupancy) = req.occupancy {
        check_count(&mut v, "occupancy", occupancy);
        // The operator's count replaces check-in estimates made before it.
        active.occupancy = Set(occupancy);
        active.occupancy_set_at = Set(Some(now));
    }
    if let Some(status) = req.status {
        active.status = Set(status.as_str().into());
    }
    v.finish()?;
    active.last_verified_at = Set(Some(now));
    active.updated_at = Set(now);
    let txn = state.db.begin().await?;
    let saved = active.update(&txn).await?;
    if let Some(occupancy) = req.occupancy {
        super::occupancy::record(&txn, id, occupancy, now).await?;
    }
    let seq = sync::record_change(&txn, id).await?;
    txn.commit().await?;
    sync::after_write(state, id, seq).await;
    tracing::info!(station_id = %id, by = %user.role, "station updated");
    detail_from_row(state, &saved).await
}

/// Soft delete: the station is closed for good and leaves nearby, but its history stays.
pub async fn delete(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<()> {
    user.require(&[Role::Admin])?;
    let row = station::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut active: station::ActiveModel = row.into();
    active.status = Set(StationStatus::ClosedPermanently.as_str().into());
    active.updated_at = Set(Utc::now());
    let txn = state.db.begin().await?;
    active.update(&txn).await?;
    let seq = sync::record_change(&txn, id).await?;
    txn.commit().await?;
    sync::after_write(state, id, seq).await;
    tracing::info!(station_id = %id, "station closed permanently");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_database_is_an_outage_not_an_unknown_region() {
        // A pool that was closed behaves like a database that stopped answering.
        let down = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        down.close_by_ref().await.unwrap();
        let mut v = Violations::default();
        let err = check_region(&down, &mut v, "310106").await.unwrap_err();
        assert_eq!(err.code, Code::ServiceUnavailable);
        assert!(v.finish().is_ok(), "no field error recorded");
    }
}
