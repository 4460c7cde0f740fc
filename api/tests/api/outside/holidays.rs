//! The public-holiday calendar: shipped per year with its notice, importable by admins and the
//! CLI, and the one `PH` is evaluated against everywhere (detail, lists, nearby).

use chrono::{Datelike, NaiveDate};
use reqwest::Method;
use serde_json::{json, Value};
use warmnew::holidays::domain::HolidayYear;

use crate::helpers::*;

/// A year to import in tests (not a published notice: test data only).
fn test_year(year: i32) -> Value {
    let d = |m: u32, day: u32| format!("{year}-{m:02}-{day:02}");
    let days = [
        (d(1, 1), "new_year", "元旦"),
        (d(2, 5), "spring_festival", "除夕"),
        (d(2, 6), "spring_festival", "春节"),
        (d(2, 7), "spring_festival", "春节"),
        (d(2, 8), "spring_festival", "春节"),
        (d(4, 5), "qingming", "清明节"),
        (d(5, 1), "labour_day", "劳动节"),
        (d(5, 2), "labour_day", "劳动节"),
        (d(6, 9), "dragon_boat", "端午节"),
        (d(9, 15), "mid_autumn", "中秋节"),
        (d(10, 1), "national_day", "国庆节"),
        (d(10, 2), "national_day", "国庆节"),
        (d(10, 3), "national_day", "国庆节"),
    ];
    json!({
        "year": year,
        "source": format!("测试数据：{year}年放假安排"),
        "days": days.iter().map(|(date, f, n)| json!({"date": date, "festival": f, "name": n})).collect::<Vec<_>>(),
    })
}

#[tokio::test]
async fn the_shipped_calendar_has_13_days_a_year_and_its_notice() {
    let app = spawn().await;
    let res = app.get("/api/v1/holidays", None).await;
    assert_eq!(res.status(), 200);
    let years: Vec<HolidayYear> = res.json().await.unwrap();
    let shipped: Vec<i32> = years.iter().map(|y| y.year).collect();
    assert_eq!(shipped, [2025, 2026], "on {}", backend());
    for y in &years {
        assert_eq!(y.days.len(), 13, "{}", y.year);
        assert!(y.source.contains("国务院办公厅关于"), "{}", y.source);
    }
    let y2026 = &years[1];
    let eve = NaiveDate::from_ymd_opt(2026, 2, 16).unwrap();
    assert!(y2026.days.iter().any(|d| d.date == eve && d.name == "除夕"));
}

#[tokio::test]
async fn admins_import_a_year_and_every_rule_is_checked() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let rider = app.rider_token().await;
    let put = |token: Option<String>, year: i32, body: Value| {
        let app = &app;
        async move {
            app.request(
                Method::PUT,
                &format!("/api/v1/holidays/{year}"),
                token.as_deref(),
                Some(body),
            )
            .await
        }
    };
    assert_problem(put(None, 2027, test_year(2027)).await, 401, "unauthorized").await;
    assert_problem(
        put(Some(rider.clone()), 2027, test_year(2027)).await,
        403,
        "forbidden",
    )
    .await;
    let body = assert_problem(
        put(Some(admin.clone()), 2028, test_year(2027)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&body), ["year"]);
    let mut short = test_year(2027);
    short["days"].as_array_mut().unwrap().remove(1);
    short["days"][0]["date"] = json!("2027-03-01");
    let body = assert_problem(
        put(Some(admin.clone()), 2027, short).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&body), ["days", "days[0].date"]);

    let res = put(Some(admin.clone()), 2027, test_year(2027)).await;
    assert_eq!(res.status(), 200, "on {}", backend());
    let years: Vec<HolidayYear> = app
        .get("/api/v1/holidays", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2025, 2026, 2027]
    );
    // This instance evaluates against it at once.
    let eve = NaiveDate::from_ymd_opt(2027, 2, 5).unwrap();
    assert!(app.state.holidays.holidays().get_public().contains(eve));
    // A correction replaces the year.
    let mut fixed = test_year(2027);
    fixed["source"] = json!("测试数据：更正");
    assert_eq!(put(Some(admin), 2027, fixed).await.status(), 200);
    let years: Vec<HolidayYear> = app
        .get("/api/v1/holidays", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(years[2].source, "测试数据：更正");
}

#[tokio::test]
async fn ph_is_evaluated_against_the_calendar_in_detail_lists_and_nearby() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let mut body = station_body("节假日休息驿站", 31.2304, 121.4737);
    body["opening_hours"] = json!("Mo-Su 00:00-24:00; PH off");
    let id = app.create_station(&admin, body).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let is_ph_today = app.state.holidays.holidays().get_public().contains(today);
    assert_eq!(app.station(&id).await["open_now"], !is_ph_today);
    // Today becomes a public holiday (and tomorrow, so the answer holds across midnight).
    let as_holidays = HolidayYear {
        year: today.year(),
        source: "test".into(),
        source_url: None,
        days: [today, today.succ_opt().unwrap()]
            .map(|date| warmnew::holidays::domain::Holiday {
                date,
                festival: warmnew::holidays::domain::Festival::NewYear,
                name: "test".into(),
            })
            .to_vec(),
    };
    app.state.holidays.replace(&[as_holidays], None);
    warmnew::stations::feed::rebuild(&app.state).await.unwrap();
    app.state.cache.delete(&format!("station:{id}")).await;
    let detail = app.station(&id).await;
    assert_eq!(detail["open_now"], false, "{detail}");
    assert_eq!(detail["hours_state"], "closed");
    let items = app.nearby("lat=31.2304&lng=121.4737&radius_m=500").await;
    assert_eq!(items[0]["open_now"], false);
    assert!(app
        .nearby("lat=31.2304&lng=121.4737&radius_m=500&open_now=true")
        .await
        .is_empty());
    let list: Value = app
        .get("/api/v1/stations?q=节假日", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["open_now"], false, "{list}");
}

#[test]
fn the_cli_imports_a_year_from_a_file() {
    let dir = std::env::temp_dir().join(format!(
        "warmnew-holidays-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cn-2027.json");
    std::fs::write(&file, test_year(2027).to_string()).unwrap();
    let db = dir.join("h.db");
    let run = |file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_warmnew"))
            .current_dir(&dir)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}?mode=rwc", db.display()),
            )
            .env_remove("REDIS_URL")
            .env("WARMNEW_DEMO_DATA", "false")
            .args(["import", "holidays"])
            .arg(file)
            .output()
            .expect("run warmnew")
    };
    let out = run(&file);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("2027: 13 public holidays imported"),
        "{stdout}"
    );
    // A broken file is refused and names the problem.
    let mut bad = test_year(2027);
    bad["days"].as_array_mut().unwrap().truncate(3);
    let bad_file = dir.join("bad.json");
    std::fs::write(&bad_file, bad.to_string()).unwrap();
    let out = run(&bad_file);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("consecutive"), "{stderr}");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let years = rt.block_on(async {
        let conn = sea_orm::Database::connect(format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        warmnew::holidays::store::all(&conn).await.unwrap()
    });
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2025, 2026, 2027]
    );
    std::fs::remove_dir_all(dir).ok();
}
