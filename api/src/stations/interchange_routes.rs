//! HTTP for station interchange: GeoJSON / CSV export (public) and file import (admin).

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::interchange::{
    self, ExportParams, Format, ImportOutcome, ImportProblem, ImportReport, StationCollection,
    MAX_IMPORT_BYTES,
};
use crate::auth::{AuthUser, Role};
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::http::body::{declared_length, read_capped};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_geojson)
        .service(export_csv)
        .service(import_stations);
}

/// Every station (optionally one region's) as an RFC 7946 FeatureCollection: Point geometry
/// `[longitude, latitude]` in WGS-84 and the public fields as properties. Stations closed for
/// good are included (their `status` says so). Streamed, so the whole city downloads without
/// waiting for one big document.
#[utoipa::path(tag = "stations", params(ExportParams),
    responses((status = 200, body = StationCollection, content_type = "application/geo+json"),
        (status = 422, description = "`region` is not a division code", body = Problem, content_type = "application/problem+json")))]
#[get("/stations.geojson")]
async fn export_geojson(
    state: web::Data<AppState>,
    params: web::Query<ExportParams>,
) -> ApiResult<HttpResponse> {
    let region = interchange::region_filter(&params)?;
    let body = interchange::export_stream(state.get_ref().clone(), region, Format::GeoJson);
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(body))
}

/// Every station (optionally one region's) as CSV: a header row, one station per row,
/// amenities joined by `;`, UTF-8 with a byte order mark so Excel shows Chinese correctly.
/// Cells that a spreadsheet would run as formulas start with `'` (import removes it).
#[utoipa::path(tag = "stations", params(ExportParams),
    responses((status = 200, description = "Columns: id, external_id, name, name_en, address, lat, lng, region_code, opening_hours, amenities, capacity, status, contact_phone, last_verified_at, updated_at", body = String, content_type = "text/csv"),
        (status = 422, description = "`region` is not a division code", body = Problem, content_type = "application/problem+json")))]
#[get("/stations.csv")]
async fn export_csv(
    state: web::Data<AppState>,
    params: web::Query<ExportParams>,
) -> ApiResult<HttpResponse> {
    let region = interchange::region_filter(&params)?;
    let body = interchange::export_stream(state.get_ref().clone(), region, Format::Csv);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"stations.csv\"",
        ))
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(body))
}

/// Import stations from a GeoJSON FeatureCollection or a CSV file (admin), upserting by
/// `external_id` (required on every row). All or nothing: if any row breaks a rule, nothing is
/// written and the 422 lists every rejected row with its reasons. The body is the raw file
/// (at most 10 MiB); CSV columns and GeoJSON properties are those the exports write.
#[utoipa::path(tag = "stations", security(("bearer" = [])),
    request_body(description = "The file itself", content(
        (StationCollection = "application/geo+json"),
        (StationCollection = "application/json"),
        (String = "text/csv"))),
    responses((status = 200, description = "Every row written", body = ImportReport),
        (status = 400, description = "Not readable as JSON or CSV", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A concurrent write took one of the external_ids; import again", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not GeoJSON, JSON or CSV", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rows were rejected (nothing written): `errors` name `rows[N].field` (CSV) or `features[N].field` (GeoJSON), `report` lists each row. A file-level problem (no FeatureCollection, a missing CSV column) has `errors` only.", body = ImportProblem, content_type = "application/problem+json")))]
#[post("/stations/import")]
async fn import_stations(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    // Role first: nobody else's upload is worth reading.
    user.require(&[Role::Admin])?;
    let format = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(Format::from_content_type)
        .ok_or_else(|| {
            ApiError::new(
                Code::UnsupportedMediaType,
                "send the file as application/geo+json, application/json or text/csv",
            )
        })?;
    let body = read_capped(declared_length(&req), payload, MAX_IMPORT_BYTES).await?;
    Ok(match interchange::import(&state, format, &body).await? {
        ImportOutcome::Written(report) => HttpResponse::Ok().json(report),
        ImportOutcome::Rejected(report) => {
            let problem: ImportProblem = interchange::rejection(format, report);
            HttpResponse::UnprocessableEntity()
                .content_type("application/problem+json")
                .json(problem)
        }
    })
}
