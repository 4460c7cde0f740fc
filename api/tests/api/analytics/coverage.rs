//! Blank spots of the 15-minute circle: far-away demand shows, thin demand does not.

use serde_json::{json, Value};

use super::support::*;
use crate::help::support as help;
use crate::helpers::*;

/// Jinshan, ~60 km south-west of both stations (and still in Shanghai's 3101).
const FAR: (f64, f64) = (30.7420, 121.3420);

async fn file_from(app: &TestApp, at: (f64, f64), riders: usize) {
    for _ in 0..riders {
        let rider = app.rider_token().await;
        help::create(app, &rider, help::at_point("hazard_report", at)).await;
    }
}

fn cells(fc: &Value) -> Vec<&Value> {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "cell")
        .collect()
}

fn sites(fc: &Value) -> Vec<&Value> {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "suggested_site")
        .collect()
}

#[tokio::test]
async fn far_demand_of_five_riders_is_a_blank_spot_with_a_suggested_site() {
    let w = world().await;
    visitors(&w.app, &w.s1, &w.op1, 5).await;
    file_from(&w.app, FAR, 5).await;
    rollup(&w.app).await;
    let fc = get_ok(&w.app, &w.city, "/api/v1/analytics/coverage?minutes=15").await;
    assert_eq!(fc["type"], "FeatureCollection");
    assert_eq!(fc["metadata"]["detour_factor"], 1.4);
    assert_eq!(fc["metadata"]["speed_kmh"], 15.0);
    let cs = cells(&fc);
    assert_eq!(cs.len(), 2, "the station's cell and the far cell");
    let station_cell = cs
        .iter()
        .find(|c| c["properties"]["blank_spot"] == false)
        .expect("covered cell");
    assert_eq!(station_cell["properties"]["demand"], 5);
    assert!(station_cell["properties"]["minutes"].as_f64().unwrap() < 2.0);
    let far = cs
        .iter()
        .find(|c| c["properties"]["blank_spot"] == true)
        .expect("blank spot");
    assert_eq!(far["properties"]["demand"], 5);
    assert!(
        far["properties"]["minutes"].is_null()
            || far["properties"]["minutes"].as_f64().unwrap() > 15.0
    );
    assert_eq!(far["geometry"]["type"], "Polygon");
    let s = sites(&fc);
    assert_eq!(s.len(), 1, "one site covers the only blank spot");
    assert_eq!(s[0]["properties"]["covers_demand"], 5);
    let at = &s[0]["geometry"]["coordinates"];
    assert!(
        (at[1].as_f64().unwrap() - FAR.0).abs() < 0.01
            && (at[0].as_f64().unwrap() - FAR.1).abs() < 0.01,
        "{at}"
    );
    assert_eq!(fc["metadata"]["blank_spots"], 1);

    // A station opened there closes the gap.
    let mut body = station_body("金山暖新驿站", FAR.0, FAR.1);
    body["region_code"] = json!("310116");
    w.app.create_station(&w.admin, body).await;
    let fc = get_ok(&w.app, &w.city, "/api/v1/analytics/coverage").await;
    assert_eq!(fc["metadata"]["blank_spots"], 0);
    assert!(sites(&fc).is_empty());
}

#[tokio::test]
async fn four_riders_show_no_demand_and_make_no_blank_spot() {
    let w = world().await;
    file_from(&w.app, FAR, 4).await;
    rollup(&w.app).await;
    let fc = get_ok(&w.app, &w.admin, "/api/v1/analytics/coverage").await;
    let cs = cells(&fc);
    assert_eq!(cs.len(), 1);
    assert!(cs[0]["properties"]["demand"].is_null());
    assert_eq!(cs[0]["properties"]["blank_spot"], false);
    assert!(sites(&fc).is_empty());
    // Jing'an staff do not see Jinshan's requests at all.
    let fc = get_ok(&w.app, &w.district1, "/api/v1/analytics/coverage").await;
    assert!(cells(&fc).is_empty());
}
