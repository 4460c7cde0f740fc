use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::*;
use super::export::{self, opt, Format};
use super::{
    coverage, help_stats, lesson_stats, overview, period, scope, station_stats, timeseries,
};
use crate::auth::AuthUser;
use crate::error::{ApiResult, Problem, Violations};
use crate::http::paging::page_params;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_overview)
        .service(get_timeseries)
        .service(get_stations)
        .service(get_help)
        .service(get_lessons)
        .service(get_coverage);
}

/// The area, the period and the format, or every bad one named.
async fn common(
    state: &AppState,
    user: &AuthUser,
    region: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    format: Option<&str>,
    v: &mut Violations,
) -> ApiResult<(scope::Area, period::Period, Format)> {
    let area = scope::resolve(state, user, region).await?;
    let p = period::parse(v, from, to, Utc::now());
    let f = export::parse_format(v, format);
    Ok((area, p, f))
}

/// Headline numbers of the caller's region (or `region` inside it) for the period, each with the
/// change against the period of equal length before it (staff, admin).
#[utoipa::path(tag = "analytics", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, description = "JSON, or a CSV table with `format=csv`", content((Overview = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff, or a region outside yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/analytics/overview")]
async fn get_overview(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PeriodQuery>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::default();
    let (area, p, f) = common(
        &state,
        &user,
        q.region.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        q.format.as_deref(),
        &mut v,
    )
    .await?;
    v.finish()?;
    let o = overview::overview(&state, &area, &p).await?;
    if f == Format::Csv {
        let row = |name: &str, t: &Trend| {
            vec![
                name.to_string(),
                opt(t.value),
                opt(t.previous),
                opt(t.change),
            ]
        };
        let rate = |name: &str, r: &RateTrend| {
            vec![
                name.to_string(),
                opt(r.value),
                opt(r.previous),
                opt(r.change),
            ]
        };
        let mut rows = vec![
            row("check_ins", &o.check_ins),
            row("unique_riders", &o.unique_riders),
            row("services_total", &o.services_total),
            row("help_opened", &o.help.opened),
            row("help_resolved", &o.help.resolved),
            rate("response_rate", &o.help.response_rate),
            rate("resolution_rate", &o.help.resolution_rate),
            rate("satisfaction_rate", &o.help.satisfaction_rate),
            rate("sla_breach_rate", &o.help.sla_breach_rate),
            row("lesson_completions", &o.lesson_completions),
            row("points_earned", &o.points_earned),
            row("points_spent", &o.points_spent),
        ];
        rows.extend(o.services.iter().map(|s| {
            vec![
                format!("services:{}", s.service_type),
                s.quantity.to_string(),
                s.previous.to_string(),
                String::new(),
            ]
        }));
        return export::csv("overview", &["metric", "value", "previous", "change"], rows);
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(o))
}

/// One metric over time, zero-filled (staff, admin).
#[utoipa::path(tag = "analytics", security(("bearer" = [])), params(TimeseriesQuery),
    responses((status = 200, description = "JSON, or a CSV table with `format=csv`", content((Timeseries = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown metric or interval, a bad range (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
#[get("/analytics/timeseries")]
async fn get_timeseries(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<TimeseriesQuery>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::default();
    let (area, p, f) = common(
        &state,
        &user,
        q.region.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        q.format.as_deref(),
        &mut v,
    )
    .await?;
    let (metric, interval) =
        timeseries::parse(&mut v, q.metric.as_deref(), q.interval.as_deref(), &p);
    v.finish()?;
    let s = timeseries::series(&state, &area, &p, &metric, interval).await?;
    if f == Format::Csv {
        let rows = s
            .points
            .iter()
            .map(|pt| vec![pt.start.to_rfc3339(), opt(pt.value)]);
        return export::csv(&format!("timeseries-{metric}"), &["start", &metric], rows);
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(s))
}

/// Every station of the area with its numbers for the period, sorted and paged (staff, admin).
#[utoipa::path(tag = "analytics", security(("bearer" = [])), params(StationStatsQuery),
    responses((status = 200, description = "JSON, or a CSV table with `format=csv`", content((StationStatsPage = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/analytics/stations")]
async fn get_stations(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<StationStatsQuery>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::default();
    let (area, p, f) = common(
        &state,
        &user,
        q.region.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        q.format.as_deref(),
        &mut v,
    )
    .await?;
    let (sort, desc) = station_stats::parse_sort(&mut v, q.sort.as_deref(), q.order.as_deref());
    let (page, per_page) = page_params(&mut v, q.page.as_deref(), q.per_page.as_deref());
    v.finish()?;
    let rows = station_stats::rows(&state, &area, &p, &sort, desc).await?;
    if f == Format::Csv {
        let header = [
            "station_id",
            "name",
            "region_code",
            "status",
            "check_ins",
            "visitors",
            "services",
            "peak_occupancy",
            "help_handled",
            "last_verified_at",
        ];
        let out = rows.into_iter().map(|r| {
            vec![
                r.station_id.to_string(),
                r.name,
                r.region_code,
                r.status,
                r.check_ins.to_string(),
                opt(r.visitors),
                r.services.to_string(),
                r.peak_occupancy.to_string(),
                r.help_handled.to_string(),
                opt(r.last_verified_at.map(|t| t.to_rfc3339())),
            ]
        });
        return export::csv("stations", &header, out);
    }
    let total = rows.len() as u64;
    let skip = ((page - 1) * per_page) as usize;
    let items = rows
        .into_iter()
        .skip(skip)
        .take(per_page as usize)
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(StationStatsPage {
            items,
            page,
            per_page,
            total,
        }))
}

/// Help handling: 响应率, 解决率, 满意率, medians and breaches, by category and by tier (staff, admin).
#[utoipa::path(tag = "analytics", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, description = "JSON, or a CSV table with `format=csv`", content((HelpStats = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/analytics/help-requests")]
async fn get_help(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PeriodQuery>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::default();
    let (area, p, f) = common(
        &state,
        &user,
        q.region.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        q.format.as_deref(),
        &mut v,
    )
    .await?;
    v.finish()?;
    let cases = help_stats::cases(&state.db, &area, &p).await?;
    let s = help_stats::stats(&area, &p, &cases);
    if f == Format::Csv {
        let rows = std::iter::once(("total", &s.total))
            .chain(s.by_category.iter().map(|g| ("category", g)))
            .chain(s.by_tier.iter().map(|g| ("tier", g)))
            .map(|(by, g)| {
                vec![
                    by.to_string(),
                    g.key.clone(),
                    g.received.to_string(),
                    g.responded_in_time.to_string(),
                    g.resolved.to_string(),
                    g.finished.to_string(),
                    g.rated.to_string(),
                    g.satisfied.to_string(),
                    g.breached.to_string(),
                    opt(g.response_rate),
                    opt(g.resolution_rate),
                    opt(g.satisfaction_rate),
                    opt(g.median_minutes_to_accept),
                    opt(g.median_minutes_to_resolve),
                ]
            })
            .collect::<Vec<_>>();
        let header = [
            "group",
            "key",
            "received",
            "responded_in_time",
            "resolved",
            "finished",
            "rated",
            "satisfied",
            "breached",
            "response_rate",
            "resolution_rate",
            "satisfaction_rate",
            "median_minutes_to_accept",
            "median_minutes_to_resolve",
        ];
        return export::csv("help-requests", &header, rows);
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(s))
}

/// Lesson uptake: attempts, passes and first completions per lesson (staff, admin).
#[utoipa::path(tag = "analytics", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, description = "JSON, or a CSV table with `format=csv`", content((LessonStatsList = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/analytics/lessons")]
async fn get_lessons(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PeriodQuery>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::default();
    let (area, p, f) = common(
        &state,
        &user,
        q.region.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        q.format.as_deref(),
        &mut v,
    )
    .await?;
    v.finish()?;
    let s = lesson_stats::stats(&state, &area, &p).await?;
    if f == Format::Csv {
        let rows = s.items.into_iter().map(|l| {
            vec![
                l.slug,
                l.title,
                l.attempts.to_string(),
                l.passed.to_string(),
                opt(l.completions),
                opt(l.pass_rate),
            ]
        });
        return export::csv(
            "lessons",
            &[
                "slug",
                "title",
                "attempts",
                "passed",
                "completions",
                "pass_rate",
            ],
            rows,
        );
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(s))
}

/// The 15-minute service circle as a GeoJSON FeatureCollection of H3 cells (demand, minutes
/// to the nearest station, blank spots) and suggested sites; the method is in `metadata`
/// (staff, admin).
#[utoipa::path(tag = "analytics", security(("bearer" = [])), params(CoverageQuery),
    responses((status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`minutes` outside 5–60, a bad range", body = Problem, content_type = "application/problem+json")))]
#[get("/analytics/coverage")]
async fn get_coverage(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<CoverageQuery>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::default();
    let (area, p, _) = common(
        &state,
        &user,
        q.region.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        None,
        &mut v,
    )
    .await?;
    let (minutes, n) = coverage::parse(&mut v, q.minutes.as_deref(), q.suggestions.as_deref());
    v.finish()?;
    let body = coverage::coverage(&state, &area, &p, minutes, n).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("application/geo+json")
        .body(body.to_string()))
}
