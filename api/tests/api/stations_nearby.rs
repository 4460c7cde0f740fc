//! GET /stations/nearby: sorting and radius against a brute-force computation over random
//! stations, defaults and limits, open now (including across midnight), GCJ-02, bad input.

use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use chrono_tz::{Asia::Shanghai, Tz};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use warmnew::stations::domain::{haversine_m, LatLng, StationStatus};
use warmnew::stations::dto::CreateStation;

use crate::helpers::*;

const PEOPLES_SQUARE: LatLng = LatLng {
    lat: 31.2304,
    lng: 121.4737,
};

const POOL: [&str; 6] = [
    "drinking_water",
    "phone_charging",
    "battery_swap",
    "microwave",
    "toilet",
    "wifi",
];

/// Creates a station through the service layer (fast, no HTTP); returns its id.
async fn seed_station(
    app: &TestApp,
    name: &str,
    at: LatLng,
    hours: &str,
    amenities: &[&str],
    status: StationStatus,
) -> String {
    let dto = warmnew::stations::service::create(
        &app.state,
        &admin_user(),
        CreateStation {
            name: name.to_string(),
            name_en: None,
            address: format!("{name} 地址"),
            lat: at.lat,
            lng: at.lng,
            region_code: "310106".into(),
            opening_hours: hours.into(),
            amenities: amenities.iter().map(|a| a.to_string()).collect(),
            capacity: 10,
            status: Some(status),
            contact_phone: None,
            external_id: None,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("seed {name}: {e}"));
    dto.id.to_string()
}

/// `metres` north of `from` (along the meridian).
fn north(from: LatLng, metres: f64) -> LatLng {
    LatLng {
        lat: from.lat + (metres / warmnew::stations::domain::EARTH_RADIUS_M).to_degrees(),
        lng: from.lng,
    }
}

fn q(at: LatLng) -> String {
    format!("lat={}&lng={}", at.lat, at.lng)
}

struct Seeded {
    id: String,
    at: LatLng,
    amenities: Vec<&'static str>,
    serving: bool,
}

#[tokio::test]
async fn nearby_matches_a_brute_force_search_over_random_stations() {
    let seed: u64 = std::env::var("STATIONS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    println!("nearby property test seed: {seed} (rerun with STATIONS_SEED={seed})");
    let mut rng = StdRng::seed_from_u64(seed);
    let app = spawn().await;

    // Half spread over the city, half packed around People's Square.
    let mut stations = Vec::new();
    for i in 0..300 {
        let at = if i % 2 == 0 {
            LatLng {
                lat: rng.gen_range(31.05..31.40),
                lng: rng.gen_range(121.25..121.65),
            }
        } else {
            LatLng {
                lat: PEOPLES_SQUARE.lat + rng.gen_range(-0.03..0.03),
                lng: PEOPLES_SQUARE.lng + rng.gen_range(-0.03..0.03),
            }
        };
        let amenities: Vec<&'static str> =
            POOL.iter().copied().filter(|_| rng.gen_bool(0.5)).collect();
        let status = match rng.gen_range(0..10) {
            0 => StationStatus::TemporarilyClosed,
            1 => StationStatus::Full,
            _ => StationStatus::Open,
        };
        let id = seed_station(
            &app,
            &format!("随机驿站 {i}"),
            at,
            "24/7",
            &amenities,
            status,
        )
        .await;
        stations.push(Seeded {
            id,
            at,
            amenities,
            serving: status != StationStatus::TemporarilyClosed,
        });
    }

    let (mut limited, mut radius_bound, mut filtered_hits, mut total) = (0, 0, 0, 0);
    for n in 0..50 {
        let at = if n % 10 == 0 {
            stations.choose(&mut rng).unwrap().at
        } else {
            LatLng {
                lat: rng.gen_range(31.0..31.45),
                lng: rng.gen_range(121.2..121.7),
            }
        };
        let radius: Option<f64> = match rng.gen_range(0..5) {
            0 => None,
            1 => Some(rng.gen_range(1..1000) as f64),
            2 => Some(rng.gen_range(1000..5000) as f64 + 0.5),
            _ => Some(rng.gen_range(5000..=20000) as f64),
        };
        let limit: Option<usize> = if rng.gen_bool(0.2) {
            None
        } else {
            Some(rng.gen_range(1..=50))
        };
        let k = rng.gen_range(0..=2);
        let wanted: Vec<&str> = POOL.choose_multiple(&mut rng, k).copied().collect();
        let open_now = rng.gen_bool(0.3);

        let mut query = q(at);
        if let Some(r) = radius {
            query.push_str(&format!("&radius_m={r}"));
        }
        if let Some(l) = limit {
            query.push_str(&format!("&limit={l}"));
        }
        if !wanted.is_empty() {
            query.push_str(&format!("&amenities={}", wanted.join(",")));
        }
        if open_now {
            query.push_str("&open_now=true");
        }
        let (radius, limit) = (radius.unwrap_or(3000.0), limit.unwrap_or(20));

        let mut matching: Vec<(f64, &Seeded)> = stations
            .iter()
            .map(|s| (haversine_m(at, s.at), s))
            .filter(|(d, s)| {
                *d <= radius
                    && wanted.iter().all(|a| s.amenities.contains(a))
                    && (!open_now || s.serving)
            })
            .collect();
        matching.sort_by(|a, b| a.0.total_cmp(&b.0));
        let all_matching = matching.len();
        matching.truncate(limit);

        let items = app.nearby(&query).await;
        let context = format!("seed {seed}, query {n}: {query}");
        assert_eq!(
            ids(&items),
            matching
                .iter()
                .map(|(_, s)| s.id.clone())
                .collect::<Vec<_>>(),
            "{context}"
        );
        assert!(items.len() <= limit, "{context}");
        for ((d, s), item) in matching.iter().zip(&items) {
            let got = item["distance_m"].as_f64().unwrap();
            assert!((got - d).abs() <= 1.0, "{context}: {got} vs {d}");
            assert!(got <= radius.ceil(), "{context}: {got} beyond {radius}");
            // (serde_json's float parsing may be one ULP off; the server has the exact value.)
            let (lat, lng) = (item["lat"].as_f64().unwrap(), item["lng"].as_f64().unwrap());
            assert!(
                (lat - s.at.lat).abs() < 1e-9 && (lng - s.at.lng).abs() < 1e-9,
                "{context}: {item}"
            );
            assert_eq!(item["amenities"], json!(s.amenities), "{context}");
            assert_eq!(item["open_now"], s.serving, "{context}");
        }
        total += items.len();
        if all_matching > limit {
            limited += 1;
        }
        if !items.is_empty() && items.len() < limit {
            radius_bound += 1;
        }
        if !wanted.is_empty() && !items.is_empty() {
            filtered_hits += 1;
        }
    }
    // The random queries exercised every way a search can end.
    assert!(
        total > 100 && limited > 0 && radius_bound > 0 && filtered_hits > 0,
        "seed {seed}: weak sample: {total} items, {limited} cut by limit, \
         {radius_bound} by radius, {filtered_hits} filtered with hits"
    );
}

#[tokio::test]
async fn default_radius_is_3_km_and_default_limit_20() {
    let app = spawn().await;
    let origin = PEOPLES_SQUARE;
    let mut expected = Vec::new();
    // 25 stations 100 m apart going north, seeded out of order.
    let mut steps: Vec<u32> = (0..25).collect();
    steps.reverse();
    for step in steps {
        let id = seed_station(
            &app,
            &format!("第 {step} 站"),
            north(origin, 50.0 + 100.0 * step as f64),
            "24/7",
            &["wifi"],
            StationStatus::Open,
        )
        .await;
        expected.push((step, id));
    }
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();
    let far_3_5 = seed_station(
        &app,
        "3.5 km",
        north(origin, 3500.0),
        "24/7",
        &[],
        StationStatus::Open,
    )
    .await;
    let far_10 = seed_station(
        &app,
        "10 km",
        north(origin, 10_000.0),
        "24/7",
        &[],
        StationStatus::Open,
    )
    .await;
    seed_station(
        &app,
        "25 km",
        north(origin, 25_000.0),
        "24/7",
        &[],
        StationStatus::Open,
    )
    .await;

    let items = app.nearby(&q(origin)).await;
    assert_eq!(ids(&items), expected[..20].to_vec());
    let distances: Vec<u64> = items
        .iter()
        .map(|i| i["distance_m"].as_u64().unwrap())
        .collect();
    assert_eq!(
        distances,
        (0..20).map(|s| 50 + 100 * s).collect::<Vec<u64>>()
    );

    let items = app.nearby(&format!("{}&limit=50", q(origin))).await;
    assert_eq!(
        ids(&items),
        expected,
        "3.5 km is outside the default radius"
    );
    let items = app.nearby(&format!("{}&limit=5", q(origin))).await;
    assert_eq!(ids(&items), expected[..5].to_vec());
    let items = app
        .nearby(&format!("{}&limit=50&radius_m=20000", q(origin)))
        .await;
    let mut all = expected.clone();
    all.extend([far_3_5, far_10]);
    assert_eq!(ids(&items), all, "25 km is beyond the largest radius");
    let items = app.nearby(&format!("{}&radius_m=1", q(origin))).await;
    assert!(items.is_empty());
    let items = app.nearby(&format!("{}&radius_m=51", q(origin))).await;
    assert_eq!(ids(&items), expected[..1].to_vec());

    let res = app
        .get(&format!("/api/v1/stations/nearby?{}", q(origin)), None)
        .await;
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
}

fn local_minute_now() -> DateTime<Tz> {
    let now = Utc::now().with_timezone(&Shanghai);
    now.with_second(0).unwrap().with_nanosecond(0).unwrap()
}

/// `HH:MM`, with midnight as the end of a range written `24:00`.
fn hm(t: DateTime<Tz>, end: bool) -> String {
    if end && t.hour() == 0 && t.minute() == 0 {
        "24:00".into()
    } else {
        format!("{:02}:{:02}", t.hour(), t.minute())
    }
}

fn range(from: DateTime<Tz>, to: DateTime<Tz>) -> String {
    format!("Mo-Su {}-{}", hm(from, false), hm(to, true))
}

fn item<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {items:?}"))
}

fn opt_ts(v: &Value) -> Option<DateTime<Utc>> {
    (!v.is_null()).then(|| ts(v))
}

#[tokio::test]
async fn open_now_follows_the_hours_in_shanghai_and_the_status() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let now = local_minute_now();
    let hour = Duration::hours(1);
    let place = |n: f64| north(PEOPLES_SQUARE, 10.0 * n);

    // Open from an hour ago until an hour from now (wrapping past midnight when it does).
    let open_hours = range(now - hour, now + hour);
    // Closed now, opening in an hour.
    let closed_hours = range(now + hour, now + hour * 2);
    // A window that crosses midnight with "now" inside it: after midnight in the morning
    // (yesterday's evening opening still running), before midnight in the afternoon/evening.
    let h = now.hour();
    let (midnight_hours, midnight_closes) = if h < 12 {
        let closes = Shanghai
            .from_local_datetime(&now.date_naive().and_hms_opt(h + 2, 0, 0).unwrap())
            .unwrap();
        (format!("Mo-Su 22:00-{:02}:00", h + 2), closes)
    } else {
        let tomorrow = now.date_naive() + Duration::days(1);
        let closes = Shanghai
            .from_local_datetime(&tomorrow.and_hms_opt(2, 0, 0).unwrap())
            .unwrap();
        (format!("Mo-Su {:02}:00-02:00", h - 1), closes)
    };

    let make = |name: &'static str, n: f64, hours: String, status: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let mut body = station_body(name, place(n).lat, place(n).lng);
            body["opening_hours"] = json!(hours);
            body["status"] = json!(status);
            app.create_station(&admin, body).await
        }
    };
    let open = make("open", 1.0, open_hours.clone(), "open").await;
    let closed = make("closed", 2.0, closed_hours.clone(), "open").await;
    let midnight = make("midnight", 3.0, midnight_hours.clone(), "open").await;
    let paused = make("paused", 4.0, "24/7".into(), "temporarily_closed").await;
    let full = make("full", 5.0, "24/7".into(), "full").await;
    let off = make("off", 6.0, "Mo-Su off".into(), "open").await;

    let utc = |t: DateTime<Tz>| Some(t.with_timezone(&Utc));
    // (station, open_now, closes_at, opens_at)
    let expect = [
        (&open, true, utc(now + hour), None),
        (&closed, false, None, utc(now + hour)),
        (&midnight, true, utc(midnight_closes), None),
        (&paused, false, None, None),
        (&full, true, None, None),
        (&off, false, None, None),
    ];
    let context = format!(
        "now {now} Asia/Shanghai; open {open_hours:?}, closed {closed_hours:?}, midnight {midnight_hours:?}"
    );
    let items = app.nearby(&q(PEOPLES_SQUARE)).await;
    assert_eq!(items.len(), 6, "{context}");
    for (station, open_now, closes_at, opens_at) in &expect {
        let id = station["id"].as_str().unwrap();
        let detail = app.station(id).await;
        for (what, v) in [("nearby", item(&items, id)), ("detail", &detail)] {
            assert_eq!(
                (
                    v["open_now"].as_bool(),
                    opt_ts(&v["closes_at"]),
                    opt_ts(&v["opens_at"])
                ),
                (Some(*open_now), *closes_at, *opens_at),
                "{what} of {}: {context}",
                v["name"]
            );
        }
        // The create response already said so.
        assert_eq!(station["open_now"], *open_now, "{context}");
    }

    let open_ids = ids(&app
        .nearby(&format!("{}&open_now=true", q(PEOPLES_SQUARE)))
        .await);
    let expected: Vec<String> = expect
        .iter()
        .filter(|e| e.1)
        .map(|e| e.0["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(open_ids, expected, "{context}");
    for falsy in ["false", "0", ""] {
        let all = app
            .nearby(&format!("{}&open_now={falsy}", q(PEOPLES_SQUARE)))
            .await;
        assert_eq!(all.len(), 6, "open_now={falsy}");
    }
    assert_eq!(
        app.nearby(&format!("{}&open_now=1", q(PEOPLES_SQUARE)))
            .await
            .len(),
        3
    );

    // The operator closing the open station takes it out of open_now at once.
    let op = app.operator_of(open["id"].as_str().unwrap()).await;
    let res = app
        .patch(
            &format!("/api/v1/stations/{}", open["id"].as_str().unwrap()),
            Some(&op),
            json!({"status": "temporarily_closed"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["open_now"], false);
    let open_ids = ids(&app
        .nearby(&format!("{}&open_now=true", q(PEOPLES_SQUARE)))
        .await);
    assert_eq!(open_ids, expected[1..].to_vec(), "{context}");
}

#[tokio::test]
async fn gcj02_input_finds_the_station_where_chinese_map_apps_put_it() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let s = app
        .create_station(&admin, station_body("外滩驿站", 31.2400, 121.4900))
        .await;
    let id = s["id"].as_str().unwrap().to_string();
    let wgs = LatLng {
        lat: s["lat"].as_f64().unwrap(),
        lng: s["lng"].as_f64().unwrap(),
    };
    let gcj = LatLng {
        lat: s["gcj02"]["lat"].as_f64().unwrap(),
        lng: s["gcj02"]["lng"].as_f64().unwrap(),
    };
    let offset = haversine_m(wgs, gcj);
    assert!((300.0..800.0).contains(&offset), "offset {offset} m");
    assert_eq!(LatLng::to_gcj02(wgs), gcj, "the library's own conversion");

    // Given as GCJ-02, the station's GCJ-02 position is the station itself.
    let items = app
        .nearby(&format!("{}&coord=gcj02&radius_m=100", q(gcj)))
        .await;
    assert_eq!(ids(&items), [id.as_str()]);
    assert_eq!(items[0]["distance_m"], 0, "{}", items[0]);
    assert_eq!(items[0]["gcj02"], s["gcj02"]);
    assert_eq!(
        (items[0]["lat"].as_f64(), items[0]["lng"].as_f64()),
        (Some(wgs.lat), Some(wgs.lng))
    );
    // Explicit wgs84 and the default agree; GCJ-02 numbers read as WGS-84 land hundreds of metres off.
    for datum in ["&coord=wgs84", ""] {
        let items = app.nearby(&format!("{}{datum}", q(wgs))).await;
        assert_eq!(
            (ids(&items), items[0]["distance_m"].as_u64()),
            (vec![id.clone()], Some(0))
        );
    }
    let items = app.nearby(&q(gcj)).await;
    let off = items[0]["distance_m"].as_f64().unwrap();
    assert!((off - offset).abs() <= 1.0, "{off} vs {offset}");
    assert!(app
        .nearby(&format!("{}&radius_m=100", q(gcj)))
        .await
        .is_empty());
}

#[tokio::test]
async fn bad_nearby_parameters_are_422_naming_each_one() {
    let app = spawn().await;
    let ok = "lat=31.23&lng=121.47";
    let cases: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("lat=90.5&lng=121.47".into(), vec![("lat", "out_of_range")]),
        ("lat=-91&lng=121.47".into(), vec![("lat", "out_of_range")]),
        ("lat=31.23&lng=180.5".into(), vec![("lng", "out_of_range")]),
        ("lat=31.23&lng=-181".into(), vec![("lng", "out_of_range")]),
        ("lat=abc&lng=121.47".into(), vec![("lat", "not_a_number")]),
        ("lat=31.23&lng=1e999".into(), vec![("lng", "not_a_number")]),
        (
            "lat=NaN&lng=inf".into(),
            vec![("lat", "not_a_number"), ("lng", "not_a_number")],
        ),
        ("lng=121.47".into(), vec![("lat", "required")]),
        ("lat=31.23".into(), vec![("lng", "required")]),
        ("".into(), vec![("lat", "required"), ("lng", "required")]),
        (
            format!("{ok}&radius_m=0"),
            vec![("radius_m", "out_of_range")],
        ),
        (
            format!("{ok}&radius_m=20001"),
            vec![("radius_m", "out_of_range")],
        ),
        (
            format!("{ok}&radius_m=-5"),
            vec![("radius_m", "out_of_range")],
        ),
        (
            format!("{ok}&radius_m=abc"),
            vec![("radius_m", "not_a_number")],
        ),
        (format!("{ok}&limit=0"), vec![("limit", "out_of_range")]),
        (format!("{ok}&limit=51"), vec![("limit", "out_of_range")]),
        (format!("{ok}&limit=2.5"), vec![("limit", "out_of_range")]),
        (format!("{ok}&limit=ten"), vec![("limit", "not_a_number")]),
        (
            format!("{ok}&amenities=wifi,jacuzzi"),
            vec![("amenities", "unknown_amenity")],
        ),
        (format!("{ok}&coord=bd09"), vec![("coord", "unknown_datum")]),
        (
            format!("{ok}&open_now=maybe"),
            vec![("open_now", "invalid_boolean")],
        ),
        (
            "lat=95&lng=121.47&radius_m=0&limit=51&amenities=sauna&coord=x".into(),
            vec![
                ("amenities", "unknown_amenity"),
                ("coord", "unknown_datum"),
                ("lat", "out_of_range"),
                ("limit", "out_of_range"),
                ("radius_m", "out_of_range"),
            ],
        ),
    ];
    for (query, expected) in cases {
        let res = app
            .get(&format!("/api/v1/stations/nearby?{query}"), None)
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        let fields: Vec<&str> = expected.iter().map(|(f, _)| *f).collect();
        assert_eq!(error_fields(&problem), fields, "{query}: {problem}");
        for (field, code) in expected {
            assert_eq!(error_code(&problem, field), code, "{query}");
            assert!(
                problem["detail"].as_str().unwrap().contains(field),
                "{problem}"
            );
        }
    }
    // The bounds themselves are fine.
    for query in [
        format!("{ok}&radius_m=20000&limit=50"),
        format!("{ok}&radius_m=1&limit=1"),
        "lat=90&lng=180".into(),
        "lat=-90&lng=-180&coord=gcj02".into(),
        format!("{ok}&amenities=&coord=wgs84"),
    ] {
        let res = app
            .get(&format!("/api/v1/stations/nearby?{query}"), None)
            .await;
        assert_eq!(res.status(), 200, "{query}");
    }
}
