//! CSV downloads: BOM, formula guard, no personal data.

use serde_json::json;

use super::support::*;
use crate::helpers::*;

#[tokio::test]
async fn tables_download_as_csv_with_a_bom_and_guarded_cells() {
    let w = world().await;
    let mut body = station_body("=HYPERLINK(\"http://evil\")", 31.2240, 121.4460);
    body["region_code"] = json!("310106013");
    w.app.create_station(&w.admin, body).await;
    let riders = visitors(&w.app, &w.s1, &w.op1, 5).await;
    crate::help::support::create(
        &w.app,
        &riders[0],
        crate::help::support::at_station("wage_arrears", &w.s1),
    )
    .await;
    rollup(&w.app).await;
    for (path, header) in [
        ("stations", "station_id,name,region_code,status,check_ins"),
        ("overview", "metric,value,previous,change"),
        ("help-requests", "group,key,received"),
        ("lessons", "slug,title,attempts"),
        ("timeseries", "start,check_ins"),
    ] {
        let res = w
            .app
            .get(
                &format!("/api/v1/analytics/{path}?format=csv"),
                Some(&w.district1),
            )
            .await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            header_of(&res, "content-type").starts_with("text/csv"),
            "{path}"
        );
        assert!(header_of(&res, "content-disposition").contains(".csv"));
        let bytes = res.bytes().await.unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "{path}: BOM");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.starts_with(header), "{path}: {text}");
        assert!(
            !text.contains("测试骑手") && !text.contains("139"),
            "{path}: no names or phones"
        );
    }
    let res = w
        .app
        .get(
            "/api/v1/analytics/stations?format=csv&sort=name&order=asc",
            Some(&w.district1),
        )
        .await;
    let text = res.text().await.unwrap();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with('=')));
}

fn header_of(res: &reqwest::Response, name: &str) -> String {
    header(res, name).unwrap_or_default()
}
