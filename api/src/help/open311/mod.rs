//! Open311 GeoReport v2 over the help requests, at `/open311/v2`, as stock clients speak it:
//! every endpoint as `.json` and `.xml` (the spec's default), the categories as services,
//! `discovery`, and errors as `[{code, description}]` (`errors`).
//!
//! Reading: anonymous callers see the public civic categories (hazard reports, suggestions),
//! masked and coarse; a bearer token sees what the API shows its holder; an `api_key` holder
//! (a city hotline, a partner) sees every request. Filing: riders with their token, or a key
//! holder for a caller, whose contact details are kept encrypted and never shown here.

pub mod access;
pub mod dto;
pub mod errors;
pub mod filing;
pub mod mask;
pub mod multipart;
pub mod query;
pub mod render;
pub mod xml;

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use self::access::Reader;
use self::dto::*;
use self::query::{locale, ListFilter};
use crate::auth::{MaybeAuthUser, Role};
use crate::entity::help_request;
use crate::error::{ApiError, ApiResult};
use crate::help::domain::{HelpCategory, HelpUrgency};
use crate::help::dto::NewHelpRequest;
use crate::help::service::{self, Filing};
use crate::http::idempotency;
use crate::state::AppState;

pub const XML_CONTENT_TYPE: &str = "text/xml; charset=utf-8";
/// When this endpoint's behaviour last changed (the discovery document's `changeset`).
const CHANGESET: &str = "2026-12-04 00:00";
const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

/// Routes under `/open311/v2`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(discovery)
        .service(services)
        .service(service_definition)
        .service(list_requests)
        .service(create_request)
        .service(get_request);
}

/// The discovery document at the Open311 root too, where directories look for it.
pub fn configure_root(cfg: &mut ServiceConfig) {
    cfg.service(root_discovery);
}

/// The answer in the asked format; `root` names the XML document element.
fn reply(
    status: StatusCode,
    format: Format,
    root: &str,
    value: &impl Serialize,
) -> ApiResult<HttpResponse> {
    let mut res = HttpResponse::build(status);
    Ok(match format {
        Format::Json => res.json(value),
        Format::Xml => {
            let v =
                serde_json::to_value(value).map_err(|e| ApiError::internal("open311 xml", e))?;
            res.content_type(XML_CONTENT_TYPE)
                .body(xml::document(root, &v))
        }
    })
}

fn discovery_document(state: &AppState, req: &HttpRequest) -> Open311Discovery {
    let base = crate::http::public_url::base_url(&state.settings, req);
    Open311Discovery {
        changeset: CHANGESET.into(),
        contact: "暖新驿站 Warm-New Stations: ask the city's social work department (社会工作部) for access".into(),
        key_service: "api_key values are issued by the deployment's administrator (WARMNEW_OPEN311_API_KEYS)".into(),
        endpoints: vec![Open311Endpoint {
            specification: SPECIFICATION.into(),
            url: format!("{base}/open311/v2"),
            changeset: CHANGESET.into(),
            r#type: if state.settings.is_production() { "production" } else { "test" }.into(),
            formats: vec!["text/xml".into(), "application/json".into()],
        }],
    }
}

/// Where this server's GeoReport v2 endpoint is, and in which formats (public).
#[utoipa::path(tag = "open311", operation_id = "open311_discovery",
    params(("format" = Format, Path, description = "`json` or `xml`")),
    responses((status = 200, content((Open311Discovery = "application/json"), (Open311Discovery = "text/xml")))))]
#[get("/discovery.{format}")]
async fn discovery(
    state: web::Data<AppState>,
    req: HttpRequest,
    format: web::Path<Format>,
) -> ApiResult<HttpResponse> {
    reply(
        StatusCode::OK,
        *format,
        "discovery",
        &discovery_document(&state, &req),
    )
}

/// The discovery document (same as `/open311/v2/discovery`).
#[utoipa::path(tag = "open311", operation_id = "open311_root_discovery",
    params(("format" = Format, Path, description = "`json` or `xml`")),
    responses((status = 200, content((Open311Discovery = "application/json"), (Open311Discovery = "text/xml")))))]
#[get("/open311/discovery.{format}")]
async fn root_discovery(
    state: web::Data<AppState>,
    req: HttpRequest,
    format: web::Path<Format>,
) -> ApiResult<HttpResponse> {
    reply(
        StatusCode::OK,
        *format,
        "discovery",
        &discovery_document(&state, &req),
    )
}

/// The services: one per help category (public).
#[utoipa::path(tag = "open311", operation_id = "open311_services",
    params(("format" = Format, Path, description = "`json` or `xml`"), LocaleParams),
    responses((status = 200, content((Vec<Open311Service> = "application/json"), (Vec<Open311Service> = "text/xml"))),
        (status = 422, description = "Unknown locale", body = Vec<Open311Error>)))]
#[get("/services.{format}")]
async fn services(
    format: web::Path<Format>,
    params: web::Query<LocaleParams>,
) -> ApiResult<HttpResponse> {
    let locale = locale(params.locale.as_deref())?;
    let list: Vec<Open311Service> = HelpCategory::ALL
        .iter()
        .map(|c| service(*c, locale))
        .collect();
    let mut res = reply(StatusCode::OK, *format, "services", &list)?;
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(res)
}

/// One service's definition: the extra attributes it asks for (none: `metadata` is false).
#[utoipa::path(tag = "open311", operation_id = "open311_service_definition",
    params(("service_code" = String, Path), ("format" = Format, Path, description = "`json` or `xml`")),
    responses((status = 200, content((Open311ServiceDefinition = "application/json"), (Open311ServiceDefinition = "text/xml"))),
        (status = 404, body = Vec<Open311Error>)))]
#[get("/services/{service_code}.{format}")]
async fn service_definition(path: web::Path<(String, Format)>) -> ApiResult<HttpResponse> {
    let (code, format) = path.into_inner();
    let category = HelpCategory::parse(&code).ok_or_else(ApiError::not_found)?;
    let definition = Open311ServiceDefinition {
        service_code: category.as_str().to_string(),
        attributes: Vec::new(),
    };
    reply(StatusCode::OK, format, "service_definition", &definition)
}

/// Requests, newest first: anonymous callers the public categories (hazard reports,
/// suggestions), masked and coarse; a bearer token what the API shows its holder; an
/// `api_key` holder all. Without dates, the last 90 days; at most 1000 per page.
#[utoipa::path(tag = "open311", operation_id = "open311_list_requests", security((), ("bearer" = [])),
    params(("format" = Format, Path, description = "`json` or `xml`"), Open311ListParams),
    responses((status = 200, content((Vec<Open311Request> = "application/json"), (Vec<Open311Request> = "text/xml"))),
        (status = 401, description = "A wrong api_key", body = Vec<Open311Error>),
        (status = 422, body = Vec<Open311Error>)))]
#[get("/requests.{format}")]
async fn list_requests(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    format: web::Path<Format>,
    params: web::Query<Open311ListParams>,
) -> ApiResult<HttpResponse> {
    let reader = Reader::of(&state, user, params.api_key.as_deref())?;
    let filter = ListFilter::parse(&params, Utc::now())?;
    let rows = help_request::Entity::find()
        .filter(reader.condition())
        .filter(filter.condition())
        .order_by_desc(help_request::Column::CreatedAt)
        .order_by_desc(help_request::Column::Id)
        .paginate(&state.db, filter.page_size)
        .fetch_page(filter.page - 1)
        .await?;
    let items = render::render(&state, &rows, filter.locale, reader == Reader::Public).await?;
    reply(StatusCode::OK, *format, "service_requests", &items)
}

/// One request, as a one-element list (same access as the list); 404 when not readable.
#[utoipa::path(tag = "open311", operation_id = "open311_get_request", security((), ("bearer" = [])),
    params(("id" = Uuid, Path), ("format" = Format, Path, description = "`json` or `xml`"), Open311GetParams),
    responses((status = 200, content((Vec<Open311Request> = "application/json"), (Vec<Open311Request> = "text/xml"))),
        (status = 401, body = Vec<Open311Error>),
        (status = 404, body = Vec<Open311Error>)))]
#[get("/requests/{id}.{format}")]
async fn get_request(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    path: web::Path<(Uuid, Format)>,
    params: web::Query<Open311GetParams>,
) -> ApiResult<HttpResponse> {
    let (id, format) = path.into_inner();
    let reader = Reader::of(&state, user, params.api_key.as_deref())?;
    let locale = locale(params.locale.as_deref())?;
    let row = help_request::Entity::find_by_id(id)
        .filter(reader.condition())
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let items = render::render(&state, &[row], locale, reader == Reader::Public).await?;
    reply(StatusCode::OK, format, "service_requests", &items)
}

/// File a request: a rider with their bearer token, or an `api_key` holder (a hotline) for a
/// caller, with the caller's contact fields. Form-encoded as the spec has it, multipart, or
/// JSON; a location is required. Urgency is normal (use the API for urgent and SOS). An
/// `Idempotency-Key` header works as in the API.
#[utoipa::path(tag = "open311", operation_id = "open311_create_request", security(("bearer" = []), ()),
    params(("format" = Format, Path, description = "`json` or `xml`"), Open311PostParams),
    request_body(content(
        (Open311NewRequest = "application/x-www-form-urlencoded"),
        (Open311NewRequest = "multipart/form-data"),
        (Open311NewRequest = "application/json"))),
    responses((status = 201, content((Vec<Open311Created> = "application/json"), (Vec<Open311Created> = "text/xml"))),
        (status = 401, description = "No token and no api_key, or a wrong api_key", body = Vec<Open311Error>),
        (status = 403, description = "Only riders file with a token", body = Vec<Open311Error>),
        (status = 413, body = Vec<Open311Error>),
        (status = 415, body = Vec<Open311Error>),
        (status = 422, description = "An invalid field, named first in `description`", body = Vec<Open311Error>),
        (status = 429, description = "The rider's hourly limit of help requests; see Retry-After", body = Vec<Open311Error>)))]
#[post("/requests.{format}")]
async fn create_request(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    req: HttpRequest,
    payload: web::Payload,
    format: web::Path<Format>,
    params: web::Query<Open311PostParams>,
) -> ApiResult<HttpResponse> {
    let locale = locale(params.locale.as_deref())?;
    let form = filing::read_form(&req, payload).await?;
    // Who files comes first: the key may be in the query or, as most clients send it, the body.
    let key = params
        .api_key
        .clone()
        .or_else(|| form.get("api_key").cloned())
        .filter(|k| !k.trim().is_empty());
    let partner = match key {
        Some(key) if access::key_matches(&state, &key) => true,
        Some(_) => return Err(ApiError::unauthorized("the api_key is not valid")),
        None => false,
    };
    let rider = if partner {
        None
    } else {
        let user = user
            .0
            .ok_or_else(|| ApiError::unauthorized("send a rider's bearer token or an api_key"))?;
        user.require(&[Role::Rider])?;
        Some(user)
    };
    let new = filing::new_request(&form)?;
    let (filer, filed) = match rider {
        None => (
            access::partner(&state).await?,
            filing::caller_filing(&state, &new)?,
        ),
        Some(user) => {
            let filed = Filing {
                address_text: filing::address_text(&new),
                ..Filing::default()
            };
            (user, filed)
        }
    };
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
        service::create_filed(&state, &filer, body, idempotency::header_value(&req), filed)
            .await
            .map_err(filing::open311_names)?;
    let created = [Open311Created {
        service_request_id: dto.summary.id.to_string(),
        service_notice: render::notice(dto.summary.tier, locale).to_string(),
        account_id: None,
    }];
    let mut res = reply(status, *format, "service_requests", &created)?;
    if replayed {
        res.headers_mut().insert(
            header::HeaderName::from_static("idempotent-replayed"),
            header::HeaderValue::from_static("true"),
        );
    }
    Ok(res)
}
