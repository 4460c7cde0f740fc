//! Open311 GeoReport v2 (JSON) over the help requests, at `/open311/v2`: the categories as
//! services, requests readable by staff, admins and API-key holders (within the same scopes as
//! the API), and created by riders. Nothing identifies the rider: no id, name or phone, and
//! digit runs and e-mail addresses in free text are masked.
//!
//! Errors: the spec answers errors as `[{code, description}]`, but every error of this service
//! is problem+json with a stable `code` (DESIGN §5), so Open311 clients get the same
//! problem+json as API clients; the status code carries what the spec's `code` would.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use regex::Regex;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use secrecy::ExposeSecret;
use serde_json::Value;
use sha2::Sha256;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::domain::{HelpCategory, HelpStatus, HelpTier, HelpUrgency};
use super::dto::NewHelpRequest;
use super::open311_dto::*;
use super::service::{self, Scope};
use crate::auth::{AuthUser, MaybeAuthUser, Role};
use crate::entity::{help_event, help_request, region, station};
use crate::error::{ApiError, ApiResult, Code, FieldError, Problem, Violations};
use crate::http::{body, idempotency, MAX_JSON_BYTES};
use crate::state::AppState;

/// The spec's limit per answer.
const MAX_PAGE: u64 = 1000;
/// The spec's default window.
const DEFAULT_DAYS: i64 = 90;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(services)
        .service(list_requests)
        .service(create_request)
        .service(get_request);
}

fn locale(raw: Option<&str>) -> ApiResult<Locale> {
    Locale::parse(raw)
        .ok_or_else(|| ApiError::field("locale", "unknown_value", "locale must be zh-CN or en"))
}

/// The services: one per help category (public).
#[utoipa::path(tag = "open311", params(LocaleParams),
    responses((status = 200, body = Vec<Open311Service>),
        (status = 422, description = "Unknown locale", body = Problem, content_type = "application/problem+json")))]
#[get("/services.json")]
async fn services(params: web::Query<LocaleParams>) -> ApiResult<HttpResponse> {
    let locale = locale(params.locale.as_deref())?;
    let list: Vec<Open311Service> = HelpCategory::ALL
        .iter()
        .map(|c| service(*c, locale))
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .json(list))
}

/// Requests, newest first (staff: their region's; admins and `api_key` holders: all). Without
/// dates, the last 90 days; at most 1000 per page.
#[utoipa::path(tag = "open311", security(("bearer" = []), ()), params(Open311ListParams),
    responses((status = 200, body = Vec<Open311Request>),
        (status = 401, description = "No token or api_key, or a wrong api_key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Riders and operators use the API", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/requests.json")]
async fn list_requests(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    params: web::Query<Open311ListParams>,
) -> ApiResult<web::Json<Vec<Open311Request>>> {
    let scope = reader(&state, user, params.api_key.as_deref())?;
    let filter = ListFilter::parse(&params, Utc::now())?;
    let rows = help_request::Entity::find()
        .filter(scope.condition())
        .filter(filter.condition())
        .order_by_desc(help_request::Column::CreatedAt)
        .order_by_desc(help_request::Column::Id)
        .paginate(&state.db, filter.page_size)
        .fetch_page(filter.page - 1)
        .await?;
    Ok(web::Json(render(&state, &rows, filter.locale).await?))
}

/// One request, as a one-element array (same access as the list); 404 when not yours.
#[utoipa::path(tag = "open311", security(("bearer" = []), ()),
    params(("id" = Uuid, Path), Open311GetParams),
    responses((status = 200, body = Vec<Open311Request>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/requests/{id}.json")]
async fn get_request(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    id: web::Path<Uuid>,
    params: web::Query<Open311GetParams>,
) -> ApiResult<web::Json<Vec<Open311Request>>> {
    let scope = reader(&state, user, params.api_key.as_deref())?;
    let locale = locale(params.locale.as_deref())?;
    let row = help_request::Entity::find_by_id(id.into_inner())
        .filter(scope.condition())
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(render(&state, &[row], locale).await?))
}

/// File a request (riders), form-encoded as the spec has it or as JSON. Urgency is normal; use
/// the API for urgent and SOS requests. An `Idempotency-Key` header works as in the API.
#[utoipa::path(tag = "open311", security(("bearer" = [])), params(LocaleParams),
    request_body(content(
        (Open311NewRequest = "application/x-www-form-urlencoded"),
        (Open311NewRequest = "application/json"))),
    responses((status = 201, body = Vec<Open311Created>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only riders file requests", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field (named in `errors`, with the Open311 names)", body = Problem, content_type = "application/problem+json")))]
#[post("/requests.json")]
async fn create_request(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    payload: web::Payload,
    params: web::Query<LocaleParams>,
) -> ApiResult<HttpResponse> {
    let locale = locale(params.locale.as_deref())?;
    user.require(&[Role::Rider])?;
    let form = read_form(&req, payload).await?;
    let new = new_request(&form)?;
    let category = HelpCategory::parse(&new.service_code).unwrap_or(HelpCategory::Other);
    let body = NewHelpRequest {
        category,
        urgency: HelpUrgency::Normal,
        description: new.description,
        lat: new.lat,
        lng: new.long,
        coord: None,
        station_id: None,
    };
    let (status, dto, replayed) =
        service::create(&state, &user, body, idempotency::header_value(&req))
            .await
            .map_err(open311_names)?;
    let mut res = HttpResponse::build(status);
    if replayed {
        res.insert_header((idempotency::REPLAYED_HEADER, "true"));
    }
    Ok(res.json([Open311Created {
        service_request_id: dto.summary.id.to_string(),
        service_notice: notice(dto.summary.tier, locale).to_string(),
        account_id: None,
    }]))
}

// ---------------------------------------------------------------------------------------------
// Access

/// Who reads: an `api_key` holder sees all; otherwise staff and admins see what the API shows
/// them. A wrong key is refused even with a token, so a typo is not silently narrowed.
fn reader(state: &AppState, user: MaybeAuthUser, api_key: Option<&str>) -> ApiResult<Scope> {
    if let Some(key) = api_key.filter(|k| !k.is_empty()) {
        return if key_matches(state, key) {
            Ok(Scope::All)
        } else {
            Err(ApiError::unauthorized("the api_key is not valid"))
        };
    }
    let user = user.0.ok_or_else(|| {
        ApiError::unauthorized("send a staff or admin bearer token, or an api_key")
    })?;
    user.require(&[Role::Staff, Role::Admin])?;
    Ok(Scope::of(&user))
}

/// Compares in constant time: both sides are MACed first (so lengths do not show) and the
/// MACs compared with `subtle`; every configured key is checked.
fn key_matches(state: &AppState, given: &str) -> bool {
    let mac = |k: &str| {
        Hmac::<Sha256>::new_from_slice(b"warmnew open311 api key").map(|mut m| {
            m.update(k.as_bytes());
            m.finalize()
        })
    };
    let Ok(given) = mac(given) else {
        return false;
    };
    state
        .settings
        .open311_api_keys
        .iter()
        .fold(false, |found, key| {
            found | mac(key.expose_secret()).is_ok_and(|k| k == given)
        })
}

// ---------------------------------------------------------------------------------------------
// Listing

struct ListFilter {
    ids: Vec<Uuid>,
    categories: Vec<HelpCategory>,
    statuses: Vec<&'static str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    page: u64,
    page_size: u64,
    locale: Locale,
}

fn split(raw: Option<&str>) -> impl Iterator<Item = &str> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn unknown(field: &str, bad: Vec<&str>) -> FieldError {
    let shown: Vec<String> = bad.iter().map(|b| b.chars().take(40).collect()).collect();
    FieldError::new(
        field,
        "unknown_value",
        format!("unknown {field}: {}", shown.join(", ")),
    )
}

/// A W3C date-time (`2026-05-01T08:00:00+08:00`), or a date (midnight UTC).
fn date(v: &mut Violations, field: &str, raw: Option<&str>) -> Option<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        });
    if parsed.is_none() {
        v.push(FieldError::new(
            field,
            "invalid_datetime",
            format!("{field} must be a date-time like 2026-05-01T08:00:00+08:00"),
        ));
    }
    parsed
}

impl ListFilter {
    fn parse(p: &Open311ListParams, now: DateTime<Utc>) -> ApiResult<Self> {
        let mut v = Violations::default();
        let locale = v.check(locale(p.locale.as_deref()).map_err(|e| e.errors[0].clone()));
        let (mut ids, mut bad) = (Vec::new(), Vec::new());
        for raw in split(p.service_request_id.as_deref()) {
            match raw.parse::<Uuid>() {
                Ok(id) => ids.push(id),
                Err(_) => bad.push(raw),
            }
        }
        if !bad.is_empty() {
            v.push(unknown("service_request_id", bad));
        } else if ids.len() as u64 > MAX_PAGE {
            v.push(FieldError::new(
                "service_request_id",
                "too_many",
                format!("at most {MAX_PAGE} ids"),
            ));
        }
        let categories = service::codes(
            &mut v,
            "service_code",
            p.service_code.as_deref(),
            HelpCategory::parse,
        );
        let (mut statuses, mut bad) = (Vec::new(), Vec::new());
        for raw in split(p.status.as_deref()) {
            match raw {
                "open" => statuses.extend(with_openness(true)),
                "closed" => statuses.extend(with_openness(false)),
                other => bad.push(other),
            }
        }
        if !bad.is_empty() {
            v.push(unknown("status", bad));
        }
        let start = date(&mut v, "start_date", p.start_date.as_deref());
        let end = date(&mut v, "end_date", p.end_date.as_deref());
        let (start, end) = match (start, end) {
            (Some(s), Some(e)) => (s, e),
            (Some(s), None) => (s, s.max(now)),
            (None, Some(e)) => (e - Duration::days(DEFAULT_DAYS), e),
            (None, None) => (now - Duration::days(DEFAULT_DAYS), now),
        };
        if start > end {
            v.push(FieldError::new(
                "start_date",
                "after_end",
                "start_date is after end_date",
            ));
        }
        let filter = ListFilter {
            ids,
            categories,
            statuses,
            start,
            end,
            page: service::whole_number(&mut v, "page", p.page.as_deref(), 1, 1..=1_000_000),
            page_size: service::whole_number(
                &mut v,
                "page_size",
                p.page_size.as_deref(),
                MAX_PAGE,
                1..=MAX_PAGE,
            ),
            locale: locale.unwrap_or(Locale::Zh),
        };
        v.finish()?;
        Ok(filter)
    }

    /// Ids given: only them (the spec: they override every other filter).
    fn condition(&self) -> Condition {
        use help_request::Column as C;
        if !self.ids.is_empty() {
            return Condition::all().add(C::Id.is_in(self.ids.clone()));
        }
        let mut cond = Condition::all()
            .add(C::CreatedAt.gte(self.start))
            .add(C::CreatedAt.lte(self.end));
        if !self.categories.is_empty() {
            cond = cond.add(C::Category.is_in(self.categories.iter().map(|c| c.as_str())));
        }
        if !self.statuses.is_empty() {
            cond = cond.add(C::Status.is_in(self.statuses.clone()));
        }
        cond
    }
}

/// The statuses Open311 calls `open` (some deadline runs), or `closed`.
fn with_openness(open: bool) -> impl Iterator<Item = &'static str> {
    HelpStatus::ALL
        .iter()
        .filter(move |s| s.is_open() == open)
        .map(|s| s.as_str())
}

fn open_or_closed(status: &str) -> &'static str {
    if HelpStatus::parse(status).is_some_and(HelpStatus::is_open) {
        "open"
    } else {
        "closed"
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// What the rows refer to, read in one query per table.
struct Lookups {
    stations: HashMap<Uuid, station::Model>,
    regions: HashMap<String, region::Model>,
    /// The latest handler note per request.
    notes: HashMap<Uuid, String>,
}

async fn lookups(state: &AppState, rows: &[help_request::Model]) -> ApiResult<Lookups> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let station_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.station_id).collect();
    let mut codes: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            [
                r.street_code.clone(),
                r.district_code.clone(),
                Some(r.city_code.clone()),
            ]
        })
        .flatten()
        .collect();
    codes.sort();
    codes.dedup();
    let mut out = Lookups {
        stations: HashMap::new(),
        regions: HashMap::new(),
        notes: HashMap::new(),
    };
    if rows.is_empty() {
        return Ok(out);
    }
    if !station_ids.is_empty() {
        out.stations = station::Entity::find()
            .filter(station::Column::Id.is_in(station_ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
    }
    out.regions = region::Entity::find()
        .filter(region::Column::Code.is_in(codes))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.code.clone(), r))
        .collect();
    // Oldest first, so the latest note per request is the one left in the map. Riders' own
    // notes (cancel, reopen) are theirs, not the handler's status notes.
    let events = help_event::Entity::find()
        .filter(help_event::Column::RequestId.is_in(ids))
        .filter(help_event::Column::Note.is_not_null())
        .filter(help_event::Column::ActorRole.ne("rider"))
        .order_by_asc(help_event::Column::At)
        .order_by_asc(help_event::Column::Id)
        .all(&state.db)
        .await?;
    for e in events {
        if let Some(note) = e.note.filter(|n| !n.trim().is_empty()) {
            out.notes.insert(e.request_id, note);
        }
    }
    Ok(out)
}

impl Lookups {
    fn region_name(&self, code: Option<&str>, locale: Locale) -> Option<String> {
        let r = self.regions.get(code?)?;
        Some(match (locale, &r.name_en) {
            (Locale::En, Some(en)) => en.clone(),
            _ => r.name_zh.clone(),
        })
    }

    fn station_name(&self, id: Option<Uuid>, locale: Locale) -> Option<String> {
        let s = self.stations.get(&id?)?;
        Some(match (locale, &s.name_en) {
            (Locale::En, Some(en)) => en.clone(),
            _ => s.name.clone(),
        })
    }

    /// The tier's office (falling back to the broader ones it belongs to).
    fn agency(&self, r: &help_request::Model, tier: HelpTier, locale: Locale) -> String {
        let (street, district, city) = (
            r.street_code.as_deref(),
            r.district_code.as_deref(),
            Some(r.city_code.as_str()),
        );
        let candidates: Vec<Option<String>> = match tier {
            HelpTier::Station => vec![
                self.station_name(r.station_id, locale),
                self.region_name(street, locale),
                self.region_name(district, locale),
            ],
            HelpTier::Street => vec![
                self.region_name(street, locale),
                self.region_name(district, locale),
            ],
            HelpTier::District => vec![self.region_name(district, locale)],
            HelpTier::City => vec![],
        };
        candidates
            .into_iter()
            .flatten()
            .next()
            .or_else(|| self.region_name(city, locale))
            .unwrap_or_else(|| r.city_code.clone())
    }

    fn address(&self, r: &help_request::Model, locale: Locale) -> String {
        if let Some(s) = r.station_id.and_then(|id| self.stations.get(&id)) {
            return s.address.clone();
        }
        [r.street_code.as_deref(), r.district_code.as_deref()]
            .into_iter()
            .find_map(|c| self.region_name(c, locale))
            .or_else(|| self.region_name(Some(&r.city_code), locale))
            .unwrap_or_default()
    }
}

/// What happens next, by who holds it.
fn notice(tier: HelpTier, locale: Locale) -> &'static str {
    match (locale, tier) {
        (Locale::Zh, HelpTier::Station) => "已转至驿站，由驿站受理",
        (Locale::Zh, HelpTier::Street) => "已转至街道，由街道受理",
        (Locale::Zh, HelpTier::District) => "已转至区级部门受理",
        (Locale::Zh, HelpTier::City) => "已转至市级部门受理",
        (Locale::En, HelpTier::Station) => "Passed to the station, which handles it",
        (Locale::En, HelpTier::Street) => "Passed to the street office (街道)",
        (Locale::En, HelpTier::District) => "Passed to the district office",
        (Locale::En, HelpTier::City) => "Passed to the city office",
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Digit runs of seven or more (phone, ID card and bank numbers, also written with spaces or
/// dashes) and e-mail addresses.
static PERSONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|\+?\d(?:[ -]?\d){6,}").expect("valid regex")
});

/// Free text with what could identify or reach a person masked.
pub fn mask_personal(text: &str) -> String {
    PERSONAL.replace_all(text, "***").into_owned()
}

async fn render(
    state: &AppState,
    rows: &[help_request::Model],
    locale: Locale,
) -> ApiResult<Vec<Open311Request>> {
    let l = lookups(state, rows).await?;
    rows.iter()
        .map(|r| {
            let stored =
                |what: &str| ApiError::internal("open311", format!("stored {what} unknown"));
            let category = HelpCategory::parse(&r.category).ok_or_else(|| stored("category"))?;
            let tier = HelpTier::parse(&r.tier).ok_or_else(|| stored("tier"))?;
            let (name, ..) = texts(category, locale);
            Ok(Open311Request {
                service_request_id: r.id.to_string(),
                status: open_or_closed(&r.status).to_string(),
                status_notes: l.notes.get(&r.id).map(|n| mask_personal(n)),
                service_name: name.to_string(),
                service_code: category.as_str().to_string(),
                description: mask_personal(&r.description),
                agency_responsible: l.agency(r, tier, locale),
                service_notice: notice(tier, locale).to_string(),
                requested_datetime: time(r.created_at),
                updated_datetime: time(r.updated_at),
                expected_datetime: r.due_at.map(time),
                address: l.address(r, locale),
                lat: r.lat.filter(|_| r.lng.is_some()),
                long: r.lng.filter(|_| r.lat.is_some()),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Creating

/// The body's fields as text: form-encoded (the spec) or a JSON object.
async fn read_form(req: &HttpRequest, payload: web::Payload) -> ApiResult<HashMap<String, String>> {
    let essence = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let is_json = essence == "application/json" || essence.ends_with("+json");
    if essence != "application/x-www-form-urlencoded" && !is_json {
        return Err(ApiError::new(
            Code::UnsupportedMediaType,
            "send the body as application/x-www-form-urlencoded or application/json",
        ));
    }
    let bytes = body::read_capped(body::declared_length(req), payload, MAX_JSON_BYTES).await?;
    if is_json {
        let object: serde_json::Map<String, Value> = crate::http::json::parse(&bytes)?;
        let mut fields = HashMap::new();
        for (k, v) in object {
            let text = match v {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Null => continue,
                // Only the fields read below must be text; the rest are ignored anyway.
                _ if FIELDS.contains(&k.as_str()) => {
                    return Err(ApiError::field(
                        &k,
                        "invalid_type",
                        "must be a string or number",
                    ));
                }
                _ => continue,
            };
            fields.insert(k, text);
        }
        Ok(fields)
    } else {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| ApiError::new(Code::MalformedRequest, "the form body is not UTF-8"))?;
        web::Query::<Vec<(String, String)>>::from_query(text)
            .map(|q| q.into_inner().into_iter().collect())
            .map_err(|e| ApiError::new(Code::MalformedRequest, format!("malformed form body: {e}")))
    }
}

const FIELDS: [&str; 5] = [
    "service_code",
    "description",
    "lat",
    "long",
    "address_string",
];

/// Reads the fields the service uses; the service checks the rest (length, ranges).
pub fn new_request(form: &HashMap<String, String>) -> ApiResult<Open311NewRequest> {
    let mut v = Violations::default();
    let text = |k: &str| form.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let service_code = match text("service_code") {
        None => {
            v.push(FieldError::new(
                "service_code",
                "required",
                "choose a service",
            ));
            String::new()
        }
        Some(c) if HelpCategory::parse(c).is_none() => {
            v.push(unknown("service_code", vec![c]));
            String::new()
        }
        Some(c) => c.to_string(),
    };
    if text("description").is_none() {
        v.push(FieldError::new(
            "description",
            "required",
            "must not be empty",
        ));
    }
    let mut coord = |k: &str| match text(k).map(str::parse::<f64>) {
        None => None,
        Some(Ok(x)) if x.is_finite() => Some(x),
        Some(_) => {
            v.push(FieldError::new(
                k,
                "invalid_number",
                format!("{k} must be a number"),
            ));
            None
        }
    };
    let (lat, long) = (coord("lat"), coord("long"));
    v.finish()?;
    Ok(Open311NewRequest {
        service_code,
        description: form.get("description").cloned().unwrap_or_default(),
        lat,
        long,
        address_string: form.get("address_string").cloned(),
    })
}

/// The service names the API's fields; Open311 clients sent Open311's.
fn open311_names(mut e: ApiError) -> ApiError {
    for f in &mut e.errors {
        f.field = match f.field.as_str() {
            "lng" => "long".into(),
            "category" => "service_code".into(),
            other => other.to_string(),
        };
    }
    if !e.errors.is_empty() {
        let names: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        e.detail = format!("invalid fields: {}", names.join(", "));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_masked() {
        let masked = mask_personal(
            "电话13812345678，或 138-1234-5678，+86 138 1234 5678，邮箱 rider.x@example.com，身份证 31010119900101123X，订单 12 份",
        );
        for leak in [
            "13812345678",
            "1234",
            "5678",
            "rider.x",
            "example.com",
            "3101011990",
        ] {
            assert!(!masked.contains(leak), "{leak} in {masked}");
        }
        assert!(
            masked.contains("订单 12 份"),
            "short numbers stay: {masked}"
        );
    }

    #[test]
    fn locales() {
        assert_eq!(Locale::parse(None), Some(Locale::Zh));
        assert_eq!(Locale::parse(Some("zh-CN")), Some(Locale::Zh));
        assert_eq!(Locale::parse(Some("en-US")), Some(Locale::En));
        assert_eq!(Locale::parse(Some("fr")), None);
    }

    #[test]
    fn form_fields() {
        let form = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>()
        };
        let ok = new_request(&form(&[
            ("service_code", "medical"),
            ("description", "中暑"),
            ("lat", "31.2"),
            ("long", "121.4"),
            ("email", "ignored@example.com"),
        ]))
        .unwrap();
        assert_eq!((ok.lat, ok.long), (Some(31.2), Some(121.4)));
        let e = new_request(&form(&[("service_code", "pothole"), ("lat", "north")])).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["service_code", "description", "lat"]);
    }
}
