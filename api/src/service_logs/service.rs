//! Logging services (one entry or an all-or-nothing batch, idempotent), listing and voiding.

use std::collections::{HashMap, HashSet};

use actix_web::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use uuid::Uuid;

use super::access;
use super::domain::{self, ServiceType, MAX_BATCH, NOTE_MAX, VOID_REASON_MAX, VOID_WINDOW_HOURS};
use super::dto::*;
use crate::auth::{AuthUser, Role};
use crate::entity::{rider_identification, service_log, user};
use crate::error::{ApiError, ApiResult, Code, FieldError, Violations};
use crate::http::idempotency::{self, Answer, Slot};
use crate::http::paging::page_params;
use crate::state::AppState;

/// Reads the body as one entry or a batch. Field errors are named `[i].field` in a batch and
/// `field` for a single entry.
pub fn entries(body: Value) -> ApiResult<(Vec<NewServiceLog>, bool)> {
    let single = body.is_object();
    let list = if single {
        Value::Array(vec![body])
    } else {
        body
    };
    match &list {
        Value::Array(items) if items.is_empty() => {
            return Err(ApiError::field("body", "empty", "send at least one entry"))
        }
        Value::Array(items) if items.len() > MAX_BATCH => {
            return Err(ApiError::field(
                "body",
                "too_many",
                format!("a batch holds at most {MAX_BATCH} entries"),
            ))
        }
        Value::Array(_) => {}
        _ => {
            return Err(ApiError::field(
                "body",
                "invalid_type",
                "send one entry (an object) or a batch (an array of objects)",
            ))
        }
    }
    let bytes = serde_json::to_vec(&list).map_err(|e| ApiError::internal("service log body", e))?;
    match crate::http::json::parse::<Vec<NewServiceLog>>(&bytes) {
        Ok(items) => Ok((items, single)),
        Err(mut e) if single => {
            for err in &mut e.errors {
                err.field = err
                    .field
                    .trim_start_matches("[0]")
                    .trim_start_matches('.')
                    .to_string();
            }
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// One entry, checked.
struct Checked {
    service_type: ServiceType,
    quantity: i32,
    rider_id: Option<Uuid>,
    occurred_at: DateTime<Utc>,
    note: Option<String>,
}

fn check_all(
    items: &[NewServiceLog],
    single: bool,
    now: DateTime<Utc>,
) -> (Vec<Checked>, Violations) {
    let mut v = Violations::default();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let name = |f: &str| {
            if single {
                f.to_string()
            } else {
                format!("[{i}].{f}")
            }
        };
        let service_type = v.check(domain::parse_type(
            &name("service_type"),
            &item.service_type,
        ));
        let quantity = v.check(domain::parse_quantity(&name("quantity"), item.quantity));
        let occurred_at = v.check(domain::parse_occurred_at(
            &name("occurred_at"),
            item.occurred_at.as_deref(),
            now,
        ));
        let note = v.check(domain::optional_text(
            &name("note"),
            item.note.as_deref(),
            NOTE_MAX,
        ));
        if let (Some(service_type), Some(quantity), Some(occurred_at), Some(note)) =
            (service_type, quantity, occurred_at, note)
        {
            out.push(Checked {
                service_type,
                quantity,
                rider_id: item.rider_id,
                occurred_at,
                note,
            });
        }
    }
    (out, v)
}

/// Riders of `ids` identified at the station and still valid.
async fn identified<C: ConnectionTrait>(
    db: &C,
    station_id: Uuid,
    ids: &HashSet<Uuid>,
    now: DateTime<Utc>,
) -> ApiResult<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let rows = rider_identification::Entity::find()
        .filter(rider_identification::Column::StationId.eq(station_id))
        .filter(rider_identification::Column::RiderId.is_in(ids.iter().copied()))
        .filter(rider_identification::Column::ValidUntil.gt(now))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| r.rider_id).collect())
}

/// Display names of the riders in `rows`.
async fn rider_names<C: ConnectionTrait>(
    db: &C,
    rows: &[service_log::Model],
) -> ApiResult<HashMap<Uuid, String>> {
    let ids: HashSet<Uuid> = rows.iter().filter_map(|r| r.rider_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(users.into_iter().map(|u| (u.id, u.display_name)).collect())
}

pub fn to_dto(row: service_log::Model, names: &HashMap<Uuid, String>) -> ServiceLogDto {
    ServiceLogDto {
        id: row.id,
        station_id: row.station_id,
        service_type: ServiceType::parse(&row.service_type).unwrap_or(ServiceType::Other),
        quantity: row.quantity,
        rider_name: row.rider_id.and_then(|id| names.get(&id).cloned()),
        rider_id: row.rider_id,
        note: row.note,
        occurred_at: row.occurred_at,
        created_at: row.created_at,
        operator_id: row.operator_id,
        voided_at: row.voided_at,
        void_reason: row.void_reason,
        voided_by: row.voided_by,
    }
}

/// `POST /stations/{id}/service-logs`: all entries or none; with a key, a repeat of the same
/// body replays the first answer and another body is 409.
pub async fn create(
    state: &AppState,
    user: &AuthUser,
    station_id: Uuid,
    body: Value,
    idempotency_key: Option<String>,
) -> ApiResult<Answer<ServiceLogBatch>> {
    let station = access::writable(state, user, station_id).await?;
    let key = idempotency::optional_key(idempotency_key.as_deref())?;
    let hash = idempotency::request_hash(&body);
    let scope = format!("service_logs:{station}");
    let slot = key.as_deref().map(|key| Slot {
        user_id: user.id,
        scope: &scope,
        key,
        request_hash: &hash,
    });
    // A repeat is answered as the first time even if it would no longer pass (entries now
    // older than 7 days): on a failed check, look for an earlier answer before refusing. A
    // repeat that passes finds the earlier answer when its key collides in the write.
    match check(state, station, body).await {
        Ok(checked) => write(state, user, station, checked, slot.as_ref()).await,
        Err(e) => match idempotency::earlier_answer(&state.db, slot.as_ref()).await? {
            Some(answer) => Ok(answer),
            None => Err(e),
        },
    }
}

/// The body's entries, every field and rider checked against the station.
async fn check(state: &AppState, station: Uuid, body: Value) -> ApiResult<Vec<Checked>> {
    let (items, single) = entries(body)?;
    let now = Utc::now();
    let (checked, mut v) = check_all(&items, single, now);
    let wanted: HashSet<Uuid> = items.iter().filter_map(|i| i.rider_id).collect();
    let known = identified(&state.db, station, &wanted, now).await?;
    for (i, item) in items.iter().enumerate() {
        if item.rider_id.is_some_and(|id| !known.contains(&id)) {
            let field = if single {
                "rider_id".to_string()
            } else {
                format!("[{i}].rider_id")
            };
            v.push(FieldError::new(
                field,
                "rider_not_identified",
                "this rider has not shown their code at this station in the last 24 hours",
            ));
        }
    }
    v.finish()?;
    Ok(checked)
}

async fn write(
    state: &AppState,
    user: &AuthUser,
    station: Uuid,
    checked: Vec<Checked>,
    slot: Option<&Slot<'_>>,
) -> ApiResult<Answer<ServiceLogBatch>> {
    let now = Utc::now();
    let rows: Vec<service_log::Model> = checked
        .into_iter()
        .map(|c| service_log::Model {
            id: Uuid::now_v7(),
            station_id: station,
            service_type: c.service_type.code().into(),
            quantity: c.quantity,
            rider_id: c.rider_id,
            note: c.note,
            occurred_at: c.occurred_at,
            operator_id: Some(user.id),
            created_at: now,
            voided_at: None,
            voided_by: None,
            void_reason: None,
        })
        .collect();
    let count = rows.len();
    let names = rider_names(&state.db, &rows).await?;
    let answer = idempotency::write_once(&state.db, slot, async |txn| {
        // One statement for the whole batch: the rows are known, nothing needs reading back.
        let active: Vec<service_log::ActiveModel> = rows.iter().cloned().map(Into::into).collect();
        service_log::Entity::insert_many(active)
            .exec_without_returning(txn)
            .await?;
        let items = rows.into_iter().map(|r| to_dto(r, &names)).collect();
        Ok((StatusCode::CREATED, ServiceLogBatch { items }))
    })
    .await?;
    if !answer.replayed {
        tracing::info!(station_id = %station, entries = count, "services logged");
    }
    Ok(answer)
}

fn flag(v: &mut Violations, field: &str, raw: Option<&str>) -> bool {
    match raw.map(str::trim) {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => {
            v.push(FieldError::new(
                field,
                "invalid_boolean",
                format!("{field} must be true or false"),
            ));
            false
        }
    }
}

/// `GET /stations/{id}/service-logs`, newest first.
pub async fn list(
    state: &AppState,
    user: &AuthUser,
    station_id: Uuid,
    q: &ServiceLogQuery,
) -> ApiResult<ServiceLogPage> {
    let station = access::readable(state, user, station_id).await?;
    let mut v = Violations::default();
    let from = q
        .from
        .as_deref()
        .and_then(|r| v.check(super::days::parse_bound("from", r, false)));
    let to =
        q.to.as_deref()
            .and_then(|r| v.check(super::days::parse_bound("to", r, true)));
    let kind = q
        .r#type
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| v.check(domain::parse_type("type", t)));
    let include_void = flag(&mut v, "include_void", q.include_void.as_deref());
    let (page, per_page) = page_params(&mut v, q.page.as_deref(), q.per_page.as_deref());
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            v.push(FieldError::new(
                "to",
                "before_from",
                "to must be after from",
            ));
        }
    }
    v.finish()?;

    let mut query =
        service_log::Entity::find().filter(service_log::Column::StationId.eq(station.id));
    if let Some(f) = from {
        query = query.filter(service_log::Column::OccurredAt.gte(f));
    }
    if let Some(t) = to {
        query = query.filter(service_log::Column::OccurredAt.lt(t));
    }
    if let Some(k) = kind {
        query = query.filter(service_log::Column::ServiceType.eq(k.code()));
    }
    if !include_void {
        query = query.filter(service_log::Column::VoidedAt.is_null());
    }
    let pages = query
        .order_by_desc(service_log::Column::OccurredAt)
        .order_by_desc(service_log::Column::Id)
        .paginate(&state.db, per_page);
    let total = pages.num_items().await?;
    let rows = pages.fetch_page(page - 1).await?;
    let names = if access::sees_riders(user) {
        rider_names(&state.db, &rows).await?
    } else {
        HashMap::new()
    };
    let items = rows
        .into_iter()
        .map(|r| {
            let mut dto = to_dto(r, &names);
            if !access::sees_riders(user) {
                dto.rider_id = None;
            }
            dto
        })
        .collect();
    Ok(ServiceLogPage {
        items,
        page,
        per_page,
        total,
    })
}

/// `POST /stations/{id}/service-logs/{log_id}/void`: an operator voids their own entry within
/// 24 hours (admins any entry); the row stays, marked void with the reason and who.
pub async fn void(
    state: &AppState,
    user: &AuthUser,
    station_id: Uuid,
    log_id: Uuid,
    req: VoidRequest,
) -> ApiResult<ServiceLogDto> {
    let station = load_station_for_void(state, user, station_id).await?;
    let reason = domain::optional_text("reason", Some(&req.reason), VOID_REASON_MAX)
        .map_err(|e| ApiError::validation(vec![e]))?
        .ok_or_else(|| ApiError::field("reason", "required", "say why the entry is wrong"))?;
    let row = service_log::Entity::find_by_id(log_id)
        .filter(service_log::Column::StationId.eq(station))
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let now = Utc::now();
    if user.role != Role::Admin {
        if row.operator_id != Some(user.id) {
            return Err(ApiError::forbidden(
                "you can only void entries you logged yourself",
            ));
        }
        if row.created_at < now - Duration::hours(VOID_WINDOW_HOURS) {
            return Err(ApiError::new(
                Code::VoidWindowPassed,
                format!("entries can be voided within {VOID_WINDOW_HOURS} hours of logging"),
            ));
        }
    }
    // Conditional, so two concurrent voids cannot both succeed.
    let done = service_log::Entity::update_many()
        .col_expr(
            service_log::Column::VoidedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            service_log::Column::VoidedBy,
            sea_orm::sea_query::Expr::value(user.id),
        )
        .col_expr(
            service_log::Column::VoidReason,
            sea_orm::sea_query::Expr::value(reason),
        )
        .filter(service_log::Column::Id.eq(row.id))
        .filter(service_log::Column::VoidedAt.is_null())
        .exec(&state.db)
        .await?;
    if done.rows_affected != 1 {
        return Err(ApiError::new(
            Code::AlreadyVoid,
            "this entry is already void",
        ));
    }
    let saved = service_log::Entity::find_by_id(row.id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let names = rider_names(&state.db, std::slice::from_ref(&saved)).await?;
    tracing::info!(station_id = %station, log_id = %row.id, "service log voided");
    Ok(to_dto(saved, &names))
}

/// Voiding is a write: the station's operator or an admin (a closed station's log may still
/// be corrected).
async fn load_station_for_void(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<Uuid> {
    Ok(crate::stations::service::load_managed(state, user, id)
        .await?
        .id)
}
