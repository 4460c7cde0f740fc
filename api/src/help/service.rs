//! Help-request rules: creation (routed, idempotent), scoped reads, transitions and feedback.
//! Who may see a request is part of every query (`Scope`); what they may do with it is
//! `domain::check`. Takes plain values, so Open311 and tests reuse it without HTTP.

use std::collections::{HashMap, HashSet};

use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Order};
use sea_orm::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::domain::{
    self, Denial, HelpAction, HelpActorRole, HelpCategory, HelpEventKind, HelpStatus, HelpStep,
    HelpTier, HelpUrgency, Snapshot, Viewer, Windows,
};
use super::dto::*;
use super::events::{self, HelpSignal};
use super::routing;
use crate::auth::phone::mask;
use crate::auth::{AuthUser, Role};
use crate::entity::{help_event, help_request, region, station, user};
use crate::error::{ApiError, ApiResult, Code, FieldError, Violations};
use crate::http::idempotency::{self, Slot};
use crate::points::ledger::{self, Reason};
use crate::state::AppState;
use crate::stations::domain::{LatLng, StationStatus};
use crate::stations::StationIndex;

/// The `idempotency_keys` scope of `POST /help-requests`.
pub const IDEMPOTENCY_SCOPE: &str = "help_requests.create";
pub const DESCRIPTION_MAX: usize = 2000;
pub const NOTE_MAX: usize = 500;
const PREVIEW_CHARS: usize = 80;
/// Paid to the rider when a handler accepts their hazard report.
pub const HAZARD_POINTS: i64 = 20;

/// Which requests a caller may see: the filter added to every query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Own(Uuid),
    Station(Uuid),
    Street(String),
    District(String),
    City(String),
    All,
    Nothing,
}

impl Scope {
    /// Riders: their own; operators: their station's; staff: their region's (the level read
    /// from the GB/T 2260 code's length); admins: all. An operator without a station or staff
    /// without a region see nothing.
    pub fn of(user: &AuthUser) -> Scope {
        match user.role {
            Role::Rider => Scope::Own(user.id),
            Role::Operator => user.station_id.map_or(Scope::Nothing, Scope::Station),
            Role::Staff => match user.region_code.as_deref() {
                Some(code) if code.len() >= 9 => Scope::Street(code.to_string()),
                Some(code) if code.len() >= 6 => Scope::District(code.to_string()),
                Some(code) if !code.is_empty() => Scope::City(code.to_string()),
                _ => Scope::Nothing,
            },
            Role::Admin => Scope::All,
        }
    }

    pub fn condition(&self) -> Condition {
        use help_request::Column as C;
        let cond = Condition::all();
        match self {
            Scope::Own(id) => cond.add(C::RiderId.eq(*id)),
            Scope::Station(id) => cond.add(C::StationId.eq(*id)),
            Scope::Street(code) => cond.add(C::StreetCode.eq(code.as_str())),
            Scope::District(code) => cond.add(C::DistrictCode.eq(code.as_str())),
            Scope::City(code) => cond.add(C::CityCode.eq(code.as_str())),
            Scope::All => cond,
            Scope::Nothing => cond.add(Expr::val(1).eq(0)),
        }
    }

    /// `condition()` in memory: whether a live signal is about a request in this scope.
    pub fn sees(&self, s: &HelpSignal) -> bool {
        match self {
            Scope::Own(id) => s.rider_id == *id,
            Scope::Station(id) => s.station_id == Some(*id),
            Scope::Street(code) => s.street_code.as_deref() == Some(code.as_str()),
            Scope::District(code) => s.district_code.as_deref() == Some(code.as_str()),
            Scope::City(code) => s.city_code.as_deref() == Some(code.as_str()),
            Scope::All => true,
            Scope::Nothing => false,
        }
    }
}

/// What the caller is to this request (they can already see it).
fn viewer_of(user: Option<&AuthUser>, row: &help_request::Model) -> Viewer {
    let Some(user) = user else {
        return Viewer::Bystander;
    };
    let code = user.region_code.as_deref();
    match user.role {
        Role::Rider if row.rider_id == Some(user.id) => Viewer::Owner,
        Role::Operator if user.station_id.is_some() && row.station_id == user.station_id => {
            Viewer::Operator
        }
        Role::Staff if code.is_some() && row.street_code.as_deref() == code => Viewer::StreetStaff,
        Role::Staff if code.is_some() && row.district_code.as_deref() == code => {
            Viewer::DistrictStaff
        }
        Role::Staff if code == Some(row.city_code.as_str()) => Viewer::CityStaff,
        Role::Admin => Viewer::Admin,
        _ => Viewer::Bystander,
    }
}

fn stored<T>(parse: fn(&str) -> Option<T>, value: &str, what: &str) -> ApiResult<T> {
    parse(value).ok_or_else(|| ApiError::internal("help request", format!("stored {what} unknown")))
}

pub(super) fn snapshot(row: &help_request::Model) -> ApiResult<Snapshot> {
    Ok(Snapshot {
        status: stored(HelpStatus::parse, &row.status, "status")?,
        tier: stored(HelpTier::parse, &row.tier, "tier")?,
        reopen_count: row.reopen_count,
        resolved_at: row.resolved_at,
        rated: row.rating.is_some(),
    })
}

pub(super) fn windows(state: &AppState, row: &help_request::Model) -> ApiResult<Windows> {
    let category = stored(HelpCategory::parse, &row.category, "category")?;
    let urgency = stored(HelpUrgency::parse, &row.urgency, "urgency")?;
    Ok(state.settings.help.windows(category, urgency))
}

/// The most specific region the request is filed under.
fn region_code(row: &help_request::Model) -> &str {
    row.street_code
        .as_deref()
        .or(row.district_code.as_deref())
        .unwrap_or(&row.city_code)
}

fn preview(description: &str) -> String {
    let flat: String = description
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= PREVIEW_CHARS {
        flat
    } else {
        let mut cut: String = flat.chars().take(PREVIEW_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// Station and region names for a page of requests, in two queries.
#[derive(Default)]
struct Names {
    stations: HashMap<Uuid, String>,
    regions: HashMap<String, String>,
}

async fn names<C: ConnectionTrait>(conn: &C, rows: &[help_request::Model]) -> ApiResult<Names> {
    let station_ids: HashSet<Uuid> = rows.iter().filter_map(|r| r.station_id).collect();
    let codes: HashSet<String> = rows
        .iter()
        .flat_map(|r| {
            [
                Some(region_code(r)),
                r.street_code.as_deref(),
                r.district_code.as_deref(),
            ]
        })
        .flatten()
        .map(str::to_string)
        .collect();
    let mut names = Names::default();
    if !station_ids.is_empty() {
        names.stations = station::Entity::find()
            .select_only()
            .column(station::Column::Id)
            .column(station::Column::Name)
            .filter(station::Column::Id.is_in(station_ids))
            .into_tuple::<(Uuid, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
    }
    if !codes.is_empty() {
        names.regions = region::Entity::find()
            .select_only()
            .column(region::Column::Code)
            .column(region::Column::NameZh)
            .filter(region::Column::Code.is_in(codes))
            .into_tuple::<(String, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
    }
    Ok(names)
}

fn summary(
    row: &help_request::Model,
    names: &Names,
    index: &StationIndex,
    viewer: Viewer,
    now: DateTime<Utc>,
) -> ApiResult<HelpRequestSummary> {
    let snap = snapshot(row)?;
    let code = region_code(row).to_string();
    Ok(HelpRequestSummary {
        place: place(row, names, index, now),
        id: row.id,
        category: stored(HelpCategory::parse, &row.category, "category")?,
        urgency: stored(HelpUrgency::parse, &row.urgency, "urgency")?,
        status: snap.status,
        tier: snap.tier,
        station_id: row.station_id,
        station_name: row
            .station_id
            .and_then(|id| names.stations.get(&id).cloned()),
        region_name: names.regions.get(&code).cloned(),
        region_code: code,
        due_at: row.due_at,
        accept_due_at: row.accept_due_at,
        resolve_due_at: row.resolve_due_at,
        overdue: row.due_at.is_some_and(|d| d < now),
        created_at: row.created_at,
        updated_at: row.updated_at,
        resolved_at: row.resolved_at,
        reopen_count: row.reopen_count,
        reopen_until: snap.reopen_until(now),
        rating: row.rating,
        allowed_actions: domain::allowed_actions(viewer, &snap, now),
        description_preview: preview(&row.description),
    })
}

async fn detail<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    actor: Option<&AuthUser>,
    row: help_request::Model,
    now: DateTime<Utc>,
) -> ApiResult<HelpRequestDetail> {
    let viewer = viewer_of(actor, &row);
    let names = names(conn, std::slice::from_ref(&row)).await?;
    let summary = summary(&row, &names, &state.stations, viewer, now)?;
    let timeline = help_event::Entity::find()
        .filter(help_event::Column::RequestId.eq(row.id))
        .order_by_asc(help_event::Column::At)
        .order_by_asc(help_event::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| {
            Ok(HelpEvent {
                at: e.at,
                actor_role: stored(HelpActorRole::parse, &e.actor_role, "actor role")?,
                kind: stored(HelpEventKind::parse, &e.kind, "event kind")?,
                from_status: e.from_status.as_deref().and_then(HelpStatus::parse),
                to_status: e.to_status.as_deref().and_then(HelpStatus::parse),
                tier: e.tier.as_deref().and_then(HelpTier::parse),
                note: e.note,
                step: e.step.as_deref().and_then(HelpStep::parse),
                due_at: e.due_at,
                from_tier: e.from_tier.as_deref().and_then(HelpTier::parse),
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let caller = row.caller_name.is_some() || row.caller_phone_enc.is_some();
    let rider = if viewer.is_handler() && caller {
        // Filed by a hotline for a caller: the caller is who asked.
        Some(HelpRider {
            display_name: row.caller_name.clone().unwrap_or_else(|| "来电人".into()),
            phone_masked: row
                .caller_phone_enc
                .as_deref()
                .and_then(|p| state.phones.decrypt(p))
                .map(|p| mask(&p))
                .unwrap_or_default(),
        })
    } else if let Some(rider) = row.rider_id.filter(|_| viewer.is_handler()) {
        user::Entity::find_by_id(rider)
            .one(conn)
            .await?
            .map(|u| HelpRider {
                phone_masked: state
                    .phones
                    .decrypt(&u.phone_enc)
                    .map(|p| mask(&p))
                    .unwrap_or_default(),
                display_name: u.display_name,
            })
    } else {
        None
    };
    let feedback = match (row.rating, row.feedback_at) {
        (Some(rating), Some(at)) => Some(HelpFeedback {
            rating,
            comment: row.feedback_comment.clone(),
            at,
        }),
        _ => None,
    };
    Ok(HelpRequestDetail {
        summary,
        description: row.description,
        timeline,
        feedback,
        rider,
        lat: row.lat,
        lng: row.lng,
    })
}

/// The request's street and district names and its station (or the nearest within 3 km of
/// its coarse location), so screens name a place instead of showing coordinates.
fn place(
    row: &help_request::Model,
    names: &Names,
    index: &StationIndex,
    now: DateTime<Utc>,
) -> HelpPlace {
    let name_of = |code: &Option<String>| code.as_ref().and_then(|c| names.regions.get(c).cloned());
    let mut place = HelpPlace {
        street_name: name_of(&row.street_code),
        district_name: name_of(&row.district_code),
        nearest_station_name: row
            .station_id
            .and_then(|id| names.stations.get(&id).cloned()),
        nearest_station_distance_m: None,
    };
    if let (Some(lat), Some(lng)) = (row.lat, row.lng) {
        let hits = index.nearby(&crate::stations::index::Query {
            at: LatLng { lat, lng },
            radius_m: routing::STATION_RADIUS_M,
            limit: 1,
            amenity_mask: 0,
            open_now: false,
            now,
        });
        if let Some(hit) = hits.first() {
            if place.nearest_station_name.is_none() || row.station_id == Some(hit.card.id) {
                place.nearest_station_name = Some(hit.card.name.clone());
                place.nearest_station_distance_m =
                    Some(((hit.distance_m / 100.0).round() * 100.0) as u32);
            }
        }
    }
    place
}

// ---------------------------------------------------------------------------------------------
// Input

/// Free text kept as written (line breaks allowed), trimmed and bounded.
fn text(field: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::new(
            field,
            "invalid_characters",
            "must not contain control characters",
        ));
    }
    Ok(Some(v.to_string()))
}

fn required_text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    text(field, value, max)?.ok_or_else(|| FieldError::new(field, "required", "must not be empty"))
}

/// Both coordinates or neither, in range; GCJ-02 converted; not yet coarsened (routing uses
/// the precise point, which is never stored).
fn location(
    v: &mut Violations,
    lat: Option<f64>,
    lng: Option<f64>,
    datum: Option<CoordDatum>,
) -> Option<LatLng> {
    match (lat, lng) {
        (None, None) => None,
        (Some(_), None) => {
            v.push(FieldError::new("lng", "required", "lng goes with lat"));
            None
        }
        (None, Some(_)) => {
            v.push(FieldError::new("lat", "required", "lat goes with lng"));
            None
        }
        (Some(lat), Some(lng)) => match LatLng::parse(lat, lng) {
            Ok(at) if datum == Some(CoordDatum::Gcj02) => Some(at.from_gcj02()),
            Ok(at) => Some(at),
            Err(errors) => {
                errors.into_iter().for_each(|e| v.push(e));
                None
            }
        },
    }
}

/// ~100 m: three decimals of a degree.
fn coarse(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

async fn station_for(
    state: &AppState,
    v: &mut Violations,
    id: Uuid,
) -> ApiResult<Option<(Uuid, String)>> {
    let row = station::Entity::find_by_id(id).one(&state.db).await?;
    match row {
        Some(s) if s.status != StationStatus::ClosedPermanently.as_str() => {
            Ok(Some((s.id, s.region_code)))
        }
        Some(_) => {
            v.push(FieldError::new(
                "station_id",
                "station_closed",
                "this station has closed for good",
            ));
            Ok(None)
        }
        None => {
            v.push(FieldError::new(
                "station_id",
                "unknown_station",
                "no station with this id",
            ));
            Ok(None)
        }
    }
}

/// Filters of `GET /help-requests`.
#[derive(Debug, Clone, Default)]
pub struct HelpFilter {
    pub statuses: Vec<HelpStatus>,
    pub categories: Vec<HelpCategory>,
    pub tiers: Vec<HelpTier>,
    pub overdue: bool,
    pub page: u64,
    pub per_page: u64,
}

pub(super) fn codes<T>(
    v: &mut Violations,
    field: &str,
    raw: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for code in raw
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match parse(code) {
            Some(c) => out.push(c),
            None => unknown.push(code.chars().take(40).collect::<String>()),
        }
    }
    if !unknown.is_empty() {
        v.push(FieldError::new(
            field,
            "unknown_value",
            format!("unknown {field}: {}", unknown.join(", ")),
        ));
    }
    out
}

pub(super) fn whole_number(
    v: &mut Violations,
    field: &str,
    raw: Option<&str>,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> u64 {
    let n = match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Some(default),
        Some(r) => r.parse::<u64>().ok(),
    };
    match n {
        Some(n) if range.contains(&n) => n,
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
    }
}

impl HelpFilter {
    pub fn parse(p: &HelpListParams) -> ApiResult<Self> {
        let mut v = Violations::default();
        let filter = HelpFilter {
            statuses: codes(&mut v, "status", p.status.as_deref(), HelpStatus::parse),
            categories: codes(
                &mut v,
                "category",
                p.category.as_deref(),
                HelpCategory::parse,
            ),
            tiers: codes(&mut v, "tier", p.tier.as_deref(), HelpTier::parse),
            overdue: match p.overdue.as_deref().map(str::trim) {
                None | Some("") | Some("false") | Some("0") => false,
                Some("true") | Some("1") => true,
                Some(_) => {
                    v.push(FieldError::new(
                        "overdue",
                        "invalid_boolean",
                        "overdue must be true or false",
                    ));
                    false
                }
            },
            page: whole_number(&mut v, "page", p.page.as_deref(), 1, 1..=1_000_000),
            per_page: whole_number(&mut v, "per_page", p.per_page.as_deref(), 20, 1..=100),
        };
        v.finish()?;
        Ok(filter)
    }

    fn condition(&self, now: DateTime<Utc>) -> Condition {
        use help_request::Column as C;
        let strs = |v: Vec<&'static str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
        let mut cond = Condition::all();
        if !self.statuses.is_empty() {
            cond =
                cond.add(C::Status.is_in(strs(self.statuses.iter().map(|s| s.as_str()).collect())));
        }
        if !self.categories.is_empty() {
            cond = cond
                .add(C::Category.is_in(strs(self.categories.iter().map(|s| s.as_str()).collect())));
        }
        if !self.tiers.is_empty() {
            cond = cond.add(C::Tier.is_in(strs(self.tiers.iter().map(|s| s.as_str()).collect())));
        }
        if self.overdue {
            cond = cond.add(C::DueAt.is_not_null()).add(C::DueAt.lt(now));
        }
        cond
    }
}

// ---------------------------------------------------------------------------------------------
// Reads

/// `GET /help-requests` for a signed-in caller.
pub async fn list(
    state: &AppState,
    user: &AuthUser,
    filter: HelpFilter,
) -> ApiResult<HelpRequestPage> {
    list_scoped(state, &Scope::of(user), Some(user), filter).await
}

/// A page of the requests in `scope`; `allowed_actions` are `actor`'s (none without one).
/// Riders' own lists are newest first; handlers' queues are by deadline (soonest first, the
/// finished last), then newest.
pub async fn list_scoped(
    state: &AppState,
    scope: &Scope,
    actor: Option<&AuthUser>,
    filter: HelpFilter,
) -> ApiResult<HelpRequestPage> {
    use help_request::Column as C;
    let now = Utc::now();
    let mut query = help_request::Entity::find()
        .filter(scope.condition())
        .filter(filter.condition(now));
    if !matches!(scope, Scope::Own(_)) {
        query = query
            .order_by(Expr::col(C::DueAt).is_null(), Order::Asc)
            .order_by_asc(C::DueAt);
    }
    let paginator = query
        .order_by_desc(C::CreatedAt)
        .order_by_desc(C::Id)
        .paginate(&state.db, filter.per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(filter.page - 1).await?;
    let names = names(&state.db, &rows).await?;
    let items = rows
        .iter()
        .map(|r| summary(r, &names, &state.stations, viewer_of(actor, r), now))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HelpRequestPage {
        items,
        page: filter.page,
        per_page: filter.per_page,
        total,
    })
}

/// `GET /help-requests/{id}`: 404 unless the caller may see it.
pub async fn get(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<HelpRequestDetail> {
    get_scoped(state, &Scope::of(user), Some(user), id).await
}

pub async fn get_scoped(
    state: &AppState,
    scope: &Scope,
    actor: Option<&AuthUser>,
    id: Uuid,
) -> ApiResult<HelpRequestDetail> {
    let row = help_request::Entity::find_by_id(id)
        .filter(scope.condition())
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    detail(&state.db, state, actor, row, Utc::now()).await
}

// ---------------------------------------------------------------------------------------------
// Writes

struct NewEvent<'a> {
    request_id: Uuid,
    at: DateTime<Utc>,
    actor: Option<&'a AuthUser>,
    kind: HelpEventKind,
    from: Option<HelpStatus>,
    to: Option<HelpStatus>,
    tier: HelpTier,
    note: Option<String>,
}

fn actor_role(actor: Option<&AuthUser>) -> HelpActorRole {
    match actor.map(|a| a.role) {
        None => HelpActorRole::System,
        Some(Role::Rider) => HelpActorRole::Rider,
        Some(Role::Operator) => HelpActorRole::Operator,
        Some(Role::Staff) => HelpActorRole::Staff,
        Some(Role::Admin) => HelpActorRole::Admin,
    }
}

/// Appends one timeline entry (`actor: None` is the system).
pub(super) async fn record<C: ConnectionTrait>(conn: &C, e: NewEventRow) -> ApiResult<()> {
    help_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(e.request_id),
        at: Set(e.at),
        actor_id: Set(e.actor_id),
        actor_role: Set(e.actor_role.as_str().to_string()),
        kind: Set(e.kind.as_str().to_string()),
        from_status: Set(e.from.map(|s| s.as_str().to_string())),
        to_status: Set(e.to.map(|s| s.as_str().to_string())),
        tier: Set(Some(e.tier.as_str().to_string())),
        note: Set(e.note),
        step: Set(e.step.map(|s| s.as_str().to_string())),
        due_at: Set(e.due_at),
        from_tier: Set(e.from_tier.map(|t| t.as_str().to_string())),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A timeline entry as stored.
pub(super) struct NewEventRow {
    pub request_id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_role: HelpActorRole,
    pub kind: HelpEventKind,
    pub from: Option<HelpStatus>,
    pub to: Option<HelpStatus>,
    pub tier: HelpTier,
    /// A person's words; never set for the system's entries (the fields below say it).
    pub note: Option<String>,
    pub step: Option<HelpStep>,
    pub due_at: Option<DateTime<Utc>>,
    pub from_tier: Option<HelpTier>,
}

impl From<NewEvent<'_>> for NewEventRow {
    fn from(e: NewEvent<'_>) -> Self {
        NewEventRow {
            request_id: e.request_id,
            at: e.at,
            actor_id: e.actor.map(|a| a.id),
            actor_role: actor_role(e.actor),
            kind: e.kind,
            from: e.from,
            to: e.to,
            tier: e.tier,
            note: e.note,
            step: None,
            due_at: None,
            from_tier: None,
        }
    }
}

/// Tells the live streams, after the change committed.
pub(super) async fn signal(
    state: &AppState,
    row: &help_request::Model,
    kind: &str,
    at: DateTime<Utc>,
) {
    events::publish(
        state,
        HelpSignal {
            request_id: row.id,
            // Anonymised (retention): the nil id is nobody's own stream.
            rider_id: row.rider_id.unwrap_or_default(),
            station_id: row.station_id,
            street_code: row.street_code.clone(),
            district_code: row.district_code.clone(),
            city_code: Some(row.city_code.clone()),
            kind: kind.to_string(),
            status: row.status.clone(),
            tier: row.tier.clone(),
            at,
        },
    )
    .await;
}

/// `POST /help-requests` (riders): validates, routes, stores the request, its first timeline
/// entry and (with a key) the answer, in one transaction. Returns the status, the request and
/// whether this was a replay of an earlier answer.
pub async fn create(
    state: &AppState,
    user: &AuthUser,
    req: NewHelpRequest,
    idempotency_key: Option<String>,
) -> ApiResult<(StatusCode, HelpRequestDetail, bool)> {
    create_filed(state, user, req, idempotency_key, Filing::default()).await
}

/// Where a request came from when someone other than the rider's app filed it: an Open311 key
/// holder (a city hotline) for a caller. Contact details are stored encrypted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filing {
    pub source: Option<&'static str>,
    pub address_text: Option<String>,
    pub caller_name: Option<String>,
    pub caller_phone_enc: Option<String>,
    pub caller_email_enc: Option<String>,
}

/// `create`, recording who filed it (see `Filing`) in the same insert.
pub async fn create_filed(
    state: &AppState,
    user: &AuthUser,
    req: NewHelpRequest,
    idempotency_key: Option<String>,
    filing: Filing,
) -> ApiResult<(StatusCode, HelpRequestDetail, bool)> {
    user.require(&[Role::Rider])?;
    let key = idempotency::optional_key(idempotency_key.as_deref())?;
    let hash = idempotency::request_hash(&req);
    let slot = key.as_deref().map(|key| Slot {
        user_id: user.id,
        scope: IDEMPOTENCY_SCOPE,
        key,
        request_hash: &hash,
    });
    if let Some(a) = idempotency::earlier_answer(&state.db, slot.as_ref()).await? {
        return Ok((a.status, a.body, true));
    }
    super::flood::count_request(state, user, req.urgency, filing.source.is_some()).await?;

    let mut v = Violations::default();
    let description = v.check(required_text(
        "description",
        &req.description,
        DESCRIPTION_MAX,
    ));
    let at = location(&mut v, req.lat, req.lng, req.coord);
    let station = match req.station_id {
        Some(id) => station_for(state, &mut v, id).await?,
        None => None,
    };
    v.finish()?;
    let description = description.unwrap_or_default();

    let route = routing::route(state, &state.db, req.category, at, station)
        .await
        .map_err(ApiError::from)?;
    let now = Utc::now();
    let w = state.settings.help.windows(req.category, req.urgency);
    let accept_due = now + w.accept();
    let id = Uuid::now_v7();
    let model = help_request::ActiveModel {
        id: Set(id),
        rider_id: Set(Some(user.id)),
        category: Set(req.category.as_str().into()),
        urgency: Set(req.urgency.as_str().into()),
        description: Set(description),
        lat: Set(at.map(|p| coarse(p.lat))),
        lng: Set(at.map(|p| coarse(p.lng))),
        station_id: Set(route.station_id),
        street_code: Set(route.street_code),
        district_code: Set(route.district_code),
        city_code: Set(route.city_code),
        tier: Set(route.tier.as_str().into()),
        status: Set(HelpStatus::Submitted.as_str().into()),
        assignee_id: Set(None),
        due_at: Set(Some(accept_due)),
        accept_due_at: Set(Some(accept_due)),
        resolve_due_at: Set(Some(now + w.resolve())),
        breach_noted: Set(false),
        resolved_at: Set(None),
        reopen_count: Set(0),
        rating: Set(None),
        feedback_comment: Set(None),
        feedback_at: Set(None),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        source: Set(filing.source.map(str::to_string)),
        address_text: Set(filing.address_text),
        caller_name: Set(filing.caller_name),
        caller_phone_enc: Set(filing.caller_phone_enc),
        caller_email_enc: Set(filing.caller_email_enc),
        anonymised_at: Set(None),
    };
    let mut created = None;
    let answer = idempotency::write_once(&state.db, slot.as_ref(), async |txn| {
        if req.urgency == HelpUrgency::Sos {
            if let Some(open) = super::flood::open_sos(txn, user.id, now).await? {
                // The same emergency tapped again: answer with the open request.
                let dto = detail(txn, state, Some(user), open, now).await?;
                return Ok((StatusCode::OK, dto));
            }
        }
        let row = model.insert(txn).await?;
        record(
            txn,
            NewEvent {
                request_id: id,
                at: now,
                actor: Some(user),
                kind: HelpEventKind::Submitted,
                from: None,
                to: Some(HelpStatus::Submitted),
                tier: route.tier,
                note: None,
            }
            .into(),
        )
        .await?;
        let dto = detail(txn, state, Some(user), row.clone(), now).await?;
        created = Some(row);
        Ok((StatusCode::CREATED, dto))
    })
    .await?;
    if let (false, Some(row)) = (answer.replayed, created) {
        tracing::info!(request = %id, category = %req.category, tier = %route.tier, "help request created");
        signal(state, &row, "created", now).await;
    }
    Ok((answer.status, answer.body, answer.replayed))
}

/// Loads a request the caller may see, locked for the rest of the transaction (PostgreSQL;
/// SQLite has one writer).
async fn load_for_update(
    txn: &DatabaseTransaction,
    scope: &Scope,
    id: Uuid,
) -> ApiResult<help_request::Model> {
    help_request::Entity::find_by_id(id)
        .filter(scope.condition())
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(ApiError::not_found)
}

fn refusal(denial: Denial, viewer: Viewer, snap: &Snapshot, now: DateTime<Utc>) -> ApiError {
    let allowed = domain::allowed_actions(viewer, snap, now);
    match denial {
        Denial::State(detail) => ApiError::new(Code::TransitionNotAllowed, detail),
        Denial::Role(detail) => ApiError::forbidden(detail),
    }
    .with("allowed_actions", allowed)
}

/// Writes the changed columns if nobody changed the row since it was read (every write bumps
/// `version`); false when somebody did, and nothing was written.
pub(super) async fn try_save(
    txn: &DatabaseTransaction,
    row: &help_request::Model,
    mut change: help_request::ActiveModel,
    now: DateTime<Utc>,
) -> ApiResult<bool> {
    change.version = Set(row.version + 1);
    change.updated_at = Set(now);
    let res = help_request::Entity::update_many()
        .set(change)
        .filter(help_request::Column::Id.eq(row.id))
        .filter(help_request::Column::Version.eq(row.version))
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// `try_save`, with a conflict when the row changed meanwhile.
async fn save(
    txn: &DatabaseTransaction,
    row: &help_request::Model,
    change: help_request::ActiveModel,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if !try_save(txn, row, change, now).await? {
        return Err(ApiError::new(
            Code::Conflict,
            "the request changed meanwhile; reload and try again",
        ));
    }
    Ok(())
}

/// `POST /help-requests/{id}/transitions`.
pub async fn transition(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    req: TransitionRequest,
) -> ApiResult<HelpRequestDetail> {
    let note = match req.note.as_deref() {
        Some(n) => text("note", n, NOTE_MAX).map_err(|e| ApiError::validation(vec![e]))?,
        None => None,
    };
    if req.action == HelpAction::Reject && note.is_none() {
        return Err(ApiError::field(
            "note",
            "required",
            "say why the request is rejected",
        ));
    }
    let now = Utc::now();
    let scope = Scope::of(user);
    let txn = state.db.begin().await?;
    let row = load_for_update(&txn, &scope, id).await?;
    let viewer = viewer_of(Some(user), &row);
    let snap = snapshot(&row)?;
    let next = domain::check(viewer, &snap, req.action, now)
        .map_err(|d| refusal(d, viewer, &snap, now))?;
    let w = windows(state, &row)?;
    let mut change = help_request::ActiveModel {
        status: Set(next.as_str().into()),
        ..Default::default()
    };
    let mut tier = snap.tier;
    match req.action {
        HelpAction::Accept => {
            change.assignee_id = Set(Some(user.id));
            change.due_at = Set(row.resolve_due_at);
            change.breach_noted = Set(false);
        }
        HelpAction::Start => {
            if snap.status == HelpStatus::Reopened {
                change.assignee_id = Set(Some(user.id));
                change.due_at = Set(row.resolve_due_at);
                change.breach_noted = Set(false);
            }
        }
        HelpAction::Resolve => {
            change.resolved_at = Set(Some(now));
            change.due_at = Set(None);
        }
        HelpAction::Reject | HelpAction::Cancel => change.due_at = Set(None),
        HelpAction::Escalate => {
            tier = snap.tier.up().unwrap_or(snap.tier);
            escalate_to(&mut change, tier, snap.status, &w, now);
        }
        HelpAction::Reopen => {
            let accept_due = now + w.accept();
            change.reopen_count = Set(row.reopen_count + 1);
            change.resolved_at = Set(None);
            change.accept_due_at = Set(Some(accept_due));
            change.resolve_due_at = Set(Some(now + w.resolve()));
            change.due_at = Set(Some(accept_due));
            change.breach_noted = Set(false);
        }
    }
    save(&txn, &row, change, now).await?;
    let escalate = req.action == HelpAction::Escalate;
    let event = NewEventRow {
        // Where a handler's escalation came from, as the SLA worker's say.
        from_tier: escalate.then_some(snap.tier),
        ..NewEvent {
            request_id: id,
            at: now,
            actor: Some(user),
            kind: req.action.event(),
            from: (!escalate).then_some(snap.status),
            to: (!escalate).then_some(next),
            tier,
            note,
        }
        .into()
    };
    record(&txn, event).await?;
    // A hotline's filing pays nobody: its account is not a rider's.
    let hazard_rider = row.rider_id.filter(|_| {
        req.action == HelpAction::Accept
            && row.category == HelpCategory::HazardReport.as_str()
            && row.source.is_none()
    });
    if let Some(rider) = hazard_rider {
        // The ledger's unique source makes this pay once, whatever happens later.
        ledger::award(
            &txn,
            rider,
            HAZARD_POINTS,
            Reason::HazardReport,
            &format!("hazard:{id}"),
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(request = %id, action = %req.action, "help request transition");
    let fresh = help_request::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    signal(
        state,
        &fresh,
        if escalate {
            "escalated"
        } else {
            "status_changed"
        },
        now,
    )
    .await;
    detail(&state.db, state, Some(user), fresh, now).await
}

/// Moves the request to `tier`: the higher tier takes it over, with a fresh window for the
/// step it is in.
pub(super) fn escalate_to(
    change: &mut help_request::ActiveModel,
    tier: HelpTier,
    status: HelpStatus,
    w: &Windows,
    now: DateTime<Utc>,
) {
    change.tier = Set(tier.as_str().into());
    change.assignee_id = Set(None);
    let due = fresh_window(change, status, w, now);
    change.due_at = Set(Some(due));
    change.breach_noted = Set(false);
}

/// Sets a fresh deadline for the step the request is in; returns it.
fn fresh_window(
    change: &mut help_request::ActiveModel,
    status: HelpStatus,
    w: &Windows,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    if status.awaits_accept() {
        let due = now + w.accept();
        change.accept_due_at = Set(Some(due));
        due
    } else {
        let due = now + w.resolve();
        change.resolve_due_at = Set(Some(due));
        due
    }
}

/// `POST /help-requests/{id}/feedback`: the owner rates a resolved request once, closing it.
pub async fn feedback(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    req: FeedbackRequest,
) -> ApiResult<HelpRequestDetail> {
    let mut v = Violations::default();
    if !(1..=5).contains(&req.rating) {
        v.push(FieldError::new(
            "rating",
            "out_of_range",
            "rating must be a whole number from 1 to 5",
        ));
    }
    let comment = req
        .comment
        .as_deref()
        .and_then(|c| v.check(text("comment", c, NOTE_MAX)))
        .flatten();
    v.finish()?;
    let rating = req.rating as i32;
    let now = Utc::now();
    let scope = Scope::of(user);
    let txn = state.db.begin().await?;
    let row = load_for_update(&txn, &scope, id).await?;
    let viewer = viewer_of(Some(user), &row);
    let snap = snapshot(&row)?;
    if snap.status != HelpStatus::Resolved || snap.rated {
        let detail = format!(
            "only a resolved request can be rated; this one is {}",
            snap.status
        );
        return Err(refusal(Denial::State(detail), viewer, &snap, now));
    }
    if !domain::can_rate(viewer, &snap) {
        let detail = "only the rider who asked can rate it".to_string();
        return Err(refusal(Denial::Role(detail), viewer, &snap, now));
    }
    let change = help_request::ActiveModel {
        status: Set(HelpStatus::Closed.as_str().into()),
        rating: Set(Some(rating)),
        feedback_comment: Set(comment.clone()),
        feedback_at: Set(Some(now)),
        due_at: Set(None),
        ..Default::default()
    };
    save(&txn, &row, change, now).await?;
    for (kind, from, to, note) in [
        (HelpEventKind::Feedback, None, None, comment),
        (
            HelpEventKind::Closed,
            Some(HelpStatus::Resolved),
            Some(HelpStatus::Closed),
            None,
        ),
    ] {
        record(
            &txn,
            NewEvent {
                request_id: id,
                at: now,
                actor: Some(user),
                kind,
                from,
                to,
                tier: snap.tier,
                note,
            }
            .into(),
        )
        .await?;
    }
    txn.commit().await?;
    let fresh = help_request::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    signal(state, &fresh, "feedback", now).await;
    detail(&state.db, state, Some(user), fresh, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, station: Option<Uuid>, region: Option<&str>) -> AuthUser {
        AuthUser {
            id: Uuid::now_v7(),
            role,
            station_id: station,
            region_code: region.map(str::to_string),
        }
    }

    #[test]
    fn scopes_follow_role_and_region_level() {
        let s = Uuid::now_v7();
        assert_eq!(
            Scope::of(&user(Role::Operator, Some(s), None)),
            Scope::Station(s)
        );
        assert_eq!(Scope::of(&user(Role::Operator, None, None)), Scope::Nothing);
        assert_eq!(
            Scope::of(&user(Role::Staff, None, Some("310106013"))),
            Scope::Street("310106013".into())
        );
        assert_eq!(
            Scope::of(&user(Role::Staff, None, Some("310106"))),
            Scope::District("310106".into())
        );
        assert_eq!(
            Scope::of(&user(Role::Staff, None, Some("3101"))),
            Scope::City("3101".into())
        );
        assert_eq!(Scope::of(&user(Role::Staff, None, None)), Scope::Nothing);
        assert_eq!(Scope::of(&user(Role::Admin, None, None)), Scope::All);
    }

    #[test]
    fn previews_are_short_and_on_one_line() {
        assert_eq!(preview("电动车\n爆胎"), "电动车 爆胎");
        let long = "长".repeat(200);
        let p = preview(&long);
        assert_eq!(p.chars().count(), 80);
        assert!(p.ends_with('…'));
    }

    #[test]
    fn text_keeps_line_breaks_and_bounds_length() {
        assert_eq!(text("d", "  a\nb  ", 10).unwrap().as_deref(), Some("a\nb"));
        assert_eq!(text("d", "   ", 10).unwrap(), None);
        assert_eq!(text("d", &"x".repeat(11), 10).unwrap_err().code, "too_long");
        assert_eq!(
            text("d", "a\u{0}b", 10).unwrap_err().code,
            "invalid_characters"
        );
        assert_eq!(required_text("d", " ", 10).unwrap_err().code, "required");
    }

    #[test]
    fn coordinates_come_in_pairs_and_are_coarsened() {
        let mut v = Violations::default();
        assert!(location(&mut v, Some(31.2), None, None).is_none());
        assert!(v.finish().is_err());
        let mut v = Violations::default();
        let at = location(&mut v, Some(31.22351), Some(121.44529), None).unwrap();
        assert!(v.finish().is_ok());
        assert_eq!((coarse(at.lat), coarse(at.lng)), (31.224, 121.445));
        let mut v = Violations::default();
        let gcj = location(
            &mut v,
            Some(31.2235),
            Some(121.4452),
            Some(CoordDatum::Gcj02),
        )
        .unwrap();
        assert!(gcj.lng < 121.4452, "GCJ-02 sits east of WGS-84 in Shanghai");
    }
}
