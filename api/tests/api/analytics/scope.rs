//! Staff see their region and what is inside it; admins everything; others nothing.

use super::support::*;
use crate::helpers::*;

const PATHS: [&str; 6] = [
    "/api/v1/analytics/overview",
    "/api/v1/analytics/timeseries",
    "/api/v1/analytics/stations",
    "/api/v1/analytics/help-requests",
    "/api/v1/analytics/lessons",
    "/api/v1/analytics/coverage",
];

#[tokio::test]
async fn regions_outside_the_callers_scope_are_refused_on_every_endpoint() {
    let w = world().await;
    for path in PATHS {
        assert_problem(w.app.get(path, None).await, 401, "unauthorized").await;
        for token in [&w.rider1, &w.op1] {
            assert_problem(w.app.get(path, Some(token)).await, 403, "forbidden").await;
        }
        // Jing'an staff: Huangpu, the city, a Huangpu street are outside.
        for region in ["310101", "3101", "310101002"] {
            let res = w
                .app
                .get(&format!("{path}?region={region}"), Some(&w.district1))
                .await;
            assert_problem(res, 403, "forbidden").await;
        }
        // A street staffer cannot widen to the district.
        let res = w
            .app
            .get(&format!("{path}?region=310106"), Some(&w.street1))
            .await;
        assert_problem(res, 403, "forbidden").await;
        let res = w
            .app
            .get(&format!("{path}?region=999999"), Some(&w.admin))
            .await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&body), ["region"]);
        for (token, region) in [
            (&w.district1, "310106013"),
            (&w.district1, ""),
            (&w.city, "310101"),
            (&w.admin, "310101002"),
        ] {
            let res = w
                .app
                .get(&format!("{path}?region={region}"), Some(token))
                .await;
            assert_eq!(res.status(), 200, "{path} {region}");
        }
    }
}

#[tokio::test]
async fn each_region_sees_only_its_own_numbers() {
    let w = world().await;
    visitors(&w.app, &w.s1, &w.op1, 6).await;
    visitors(&w.app, &w.s2, &w.op2, 7).await;
    rollup(&w.app).await;
    let path = "/api/v1/analytics/overview";
    let jingan = get_ok(&w.app, &w.district1, path).await;
    assert_eq!(jingan["region_code"], "310106");
    assert_eq!(jingan["check_ins"]["value"], 6);
    assert_eq!(jingan["stations"]["total"], 1);
    let huangpu = get_ok(&w.app, &w.district2, path).await;
    assert_eq!(huangpu["check_ins"]["value"], 7);
    let city = get_ok(&w.app, &w.city, path).await;
    assert_eq!(city["check_ins"]["value"], 13);
    assert_eq!(city["unique_riders"]["value"], 13);
    let admin = get_ok(&w.app, &w.admin, path).await;
    assert!(admin["region_code"].is_null());
    assert_eq!(admin["check_ins"]["value"], 13);
    let street = get_ok(&w.app, &w.admin, &format!("{path}?region=310101002")).await;
    assert_eq!(street["check_ins"]["value"], 7);
    // The stations table too.
    let table = get_ok(&w.app, &w.district1, "/api/v1/analytics/stations").await;
    assert_eq!(table["total"], 1);
    assert_eq!(table["items"][0]["station_id"], w.s1.as_str());
}

#[tokio::test]
async fn bad_ranges_metrics_and_minutes_are_named() {
    let w = world().await;
    let t = Some(w.district1.as_str());
    for (q, field) in [
        ("overview?from=2026-12-05&to=2026-12-01", "from"),
        ("overview?from=2025-01-01&to=2026-12-01", "to"),
        ("overview?from=yesterday", "from"),
        ("overview?format=xlsx", "format"),
        ("timeseries?metric=profit", "metric"),
        ("timeseries?interval=minute", "interval"),
        (
            "timeseries?interval=hour&from=2026-11-01&to=2026-11-30",
            "interval",
        ),
        ("stations?sort=profit", "sort"),
        ("stations?order=up", "order"),
        ("stations?per_page=500", "per_page"),
        ("coverage?minutes=4", "minutes"),
        ("coverage?minutes=61", "minutes"),
        ("coverage?minutes=fifteen", "minutes"),
        ("coverage?suggestions=21", "suggestions"),
    ] {
        let res = w.app.get(&format!("/api/v1/analytics/{q}"), t).await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&body), [field], "{q}");
    }
}
