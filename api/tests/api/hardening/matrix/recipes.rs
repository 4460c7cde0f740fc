//! How to call each operation: its variants (which side's ids it is tried with) and, per
//! identity and variant, a valid request. A call that ends something (a session, an account, a
//! station, a request's state) works on objects made for that call, so order never matters.

use serde_json::{json, Value};
use uuid::Uuid;

use super::world::{Who, World, DISTRICTS};
use crate::help::support::{act_ok, at_station};
use crate::helpers::station_body;

pub struct Call {
    pub path: String,
    pub token: Option<String>,
    pub body: Body,
    pub headers: Vec<(&'static str, String)>,
}

pub enum Body {
    None,
    Json(Value),
    Raw(&'static str, String),
}

/// No ids in the path.
const ONE: &[&str] = &["-"];
/// Tried with side 1's objects and with side 2's.
const SIDES: &[&str] = &["side1", "side2"];
/// Analytics: unscoped, and asking for each side's district.
const REGIONS: &[&str] = &["-", "side1", "side2"];
/// Side 1's station with side 2's log or reward: the path's station must scope the other id.
const VOID: &[&str] = &["side1", "side2", "side1:log2"];
const REDEEM: &[&str] = &["side1", "side2", "side1:reward2"];
/// An operator may change a few fields of their station; the name is admin's.
const PATCH_STATION: &[&str] = &["side1", "side2", "side1:name"];
const ACTIONS: &[&str] = &[
    "side1:accept",
    "side2:accept",
    "side1:cancel",
    "side2:cancel",
];

/// The variants of an operation (`METHOD /path` as the document spells it); None means the
/// matrix does not know how to call it yet: add it here and in `prepare`.
pub fn variants(op: &str) -> Option<&'static [&'static str]> {
    Some(match op {
        "GET /api/v1/analytics/coverage"
        | "GET /api/v1/analytics/help-requests"
        | "GET /api/v1/analytics/lessons"
        | "GET /api/v1/analytics/overview"
        | "GET /api/v1/analytics/stations"
        | "GET /api/v1/analytics/timeseries" => REGIONS,
        "POST /api/v1/help-requests/{id}/transitions" => ACTIONS,
        "POST /api/v1/stations/{id}/service-logs/{log_id}/void" => VOID,
        "POST /api/v1/stations/{id}/redemptions" => REDEEM,
        "PATCH /api/v1/stations/{id}" => PATCH_STATION,
        "GET /api/v1/help-requests/{id}"
        | "POST /api/v1/help-requests/{id}/feedback"
        | "POST /api/v1/help-requests"
        | "PATCH /api/v1/rewards/{id}"
        | "GET /api/v1/star-riders"
        | "DELETE /api/v1/stations/{id}"
        | "GET /api/v1/stations/{id}"
        | "POST /api/v1/stations/{id}/check-ins"
        | "GET /api/v1/stations/{id}/checkin-code"
        | "POST /api/v1/stations/{id}/checkin-code/rotate"
        | "GET /api/v1/stations/{id}/poster"
        | "POST /api/v1/stations/{id}/rider-identifications"
        | "GET /api/v1/stations/{id}/service-logs"
        | "POST /api/v1/stations/{id}/service-logs"
        | "GET /api/v1/stations/{id}/summary"
        | "GET /open311/v2/requests/{id}.{format}" => SIDES,
        "GET /api/v1/admin/audit-log"
        | "POST /api/v1/auth/codes"
        | "POST /api/v1/auth/login"
        | "POST /api/v1/auth/login/code"
        | "POST /api/v1/auth/logout"
        | "POST /api/v1/auth/logout-all"
        | "POST /api/v1/auth/password-reset"
        | "POST /api/v1/auth/refresh"
        | "POST /api/v1/auth/register"
        | "GET /api/v1/config"
        | "GET /api/v1/events"
        | "GET /api/v1/help-requests"
        | "GET /api/v1/holidays"
        | "PUT /api/v1/holidays/{year}"
        | "GET /api/v1/lessons"
        | "POST /api/v1/lessons"
        | "GET /api/v1/lessons/{slug}"
        | "POST /api/v1/lessons/{slug}/attempts"
        | "POST /api/v1/lessons/{slug}/publish"
        | "GET /api/v1/lessons/{slug}/source"
        | "POST /api/v1/lessons/{slug}/unpublish"
        | "PUT /api/v1/lessons/{slug}/{locale}"
        | "DELETE /api/v1/me"
        | "GET /api/v1/me"
        | "PATCH /api/v1/me"
        | "GET /api/v1/me/export"
        | "GET /api/v1/me/points"
        | "GET /api/v1/me/progress"
        | "POST /api/v1/me/redemption-codes"
        | "GET /api/v1/me/services"
        | "GET /api/v1/me/star-rider"
        | "PUT /api/v1/me/star-rider"
        | "GET /api/v1/regions"
        | "GET /api/v1/rewards"
        | "POST /api/v1/rewards"
        | "GET /api/v1/service-types"
        | "GET /api/v1/stations"
        | "POST /api/v1/stations"
        | "GET /api/v1/stations.csv"
        | "GET /api/v1/stations.geojson"
        | "POST /api/v1/stations/import"
        | "GET /api/v1/stations/nearby"
        | "GET /healthz"
        | "GET /metrics"
        | "GET /open311/discovery.{format}"
        | "GET /open311/v2/discovery.{format}"
        | "GET /open311/v2/requests.{format}"
        | "POST /open311/v2/requests.{format}"
        | "GET /open311/v2/services.{format}"
        | "GET /open311/v2/services/{service_code}.{format}"
        | "GET /readyz" => ONE,
        _ => return None,
    })
}

fn side_of(variant: &str) -> usize {
    match variant.split(':').next() {
        Some("side1") => 0,
        Some("side2") => 1,
        _ => panic!("variant {variant} names no side"),
    }
}

/// The request for `op` in `variant` as `who`.
pub async fn prepare(w: &World, op: &str, variant: &str, who: Who) -> Call {
    let (method, template) = op.split_once(' ').unwrap();
    let s = || side_of(variant);
    let side = || &w.sides[side_of(variant)];
    let mut token = w.token(who);
    let mut headers = Vec::new();
    // Ids for the template's placeholders; filled per operation below.
    let mut id = String::new();
    let mut log_id = String::new();
    let body = match op {
        "POST /api/v1/auth/codes" => json!({"phone": fresh_phone(), "purpose": "login"}),
        "POST /api/v1/auth/login" => {
            let phone = match w.account(who) {
                Some(a) => a.phone.clone(),
                None => w.fresh(who).await.phone,
            };
            json!({"phone": phone, "password": crate::helpers::PASSWORD})
        }
        // No SMS reaches the test; a wrong code still exercises who may ask.
        "POST /api/v1/auth/login/code" => json!({"phone": fresh_phone(), "code": "000000"}),
        "POST /api/v1/auth/password-reset" => json!({
            "phone": fresh_phone(), "code": "000000", "new_password": "night-shift-bowl-2027",
        }),
        "POST /api/v1/auth/logout" | "POST /api/v1/auth/refresh" => {
            let fresh = w.fresh(who).await;
            if who != Who::Anon {
                token = Some(fresh.access.clone());
            }
            json!({"refresh_token": fresh.refresh})
        }
        "POST /api/v1/auth/register" => json!({
            "phone": fresh_phone(), "password": crate::helpers::PASSWORD, "display_name": "新骑手",
        }),
        "DELETE /api/v1/me" | "POST /api/v1/auth/logout-all" => {
            if who != Who::Anon {
                token = Some(w.fresh(who).await.access);
            }
            Value::Null
        }
        "PATCH /api/v1/me" => json!({"display_name": "改名骑手", "locale": "zh-CN"}),
        "PUT /api/v1/me/star-rider" => json!({"opt_in": true}),
        "POST /api/v1/me/redemption-codes" => json!({}),
        "POST /api/v1/help-requests" => at_station("wage_arrears", &side().station),
        "GET /api/v1/help-requests/{id}" | "GET /open311/v2/requests/{id}.{format}" => {
            id = side().help.clone();
            Value::Null
        }
        "POST /api/v1/help-requests/{id}/transitions" => {
            id = w.fresh_help(s()).await;
            let action = variant.split_once(':').unwrap().1;
            json!({"action": action, "note": "矩阵测试"})
        }
        "POST /api/v1/help-requests/{id}/feedback" => {
            id = w.fresh_help(s()).await;
            for action in ["accept", "start", "resolve"] {
                act_ok(&w.app, &w.admin.access, &id, action, Some("已处理")).await;
            }
            json!({"rating": 5, "comment": "谢谢"})
        }
        "PUT /api/v1/holidays/{year}" => {
            id = "2031".into();
            holidays_2031()
        }
        "POST /api/v1/lessons" => {
            let slug = format!("matrix-{}", Uuid::now_v7().simple());
            crate::lessons::lesson_body(&slug, "zh-CN")
        }
        "GET /api/v1/lessons/{slug}" => {
            id = w.lesson.into();
            Value::Null
        }
        "POST /api/v1/lessons/{slug}/attempts" => {
            id = w.lesson.into();
            crate::lessons::helmet_right()
        }
        "POST /api/v1/lessons/{slug}/publish"
        | "POST /api/v1/lessons/{slug}/unpublish"
        | "GET /api/v1/lessons/{slug}/source" => {
            id = w.draft.clone();
            json!({})
        }
        "PUT /api/v1/lessons/{slug}/{locale}" => {
            id = w.draft.clone();
            crate::lessons::lesson_body(&w.draft, "zh-CN")
        }
        "POST /api/v1/rewards" => json!({"name": "雨衣", "emoji": "🧥", "cost": 5}),
        "PATCH /api/v1/rewards/{id}" => {
            id = side().reward.clone();
            json!({"stock": 50})
        }
        "POST /api/v1/stations" => {
            let name = format!("新驿站{}", Uuid::now_v7().simple());
            station_body(&name, 31.2235, 121.4452)
        }
        "POST /api/v1/stations/import" => {
            return Call {
                path: template.into(),
                token,
                body: Body::Raw("application/geo+json", import_body()),
                headers,
            }
        }
        "DELETE /api/v1/stations/{id}" => {
            let (station, operator) = w.fresh_station(s()).await;
            id = station;
            // The own side's operator is the throwaway station's.
            if who.side() == Some(s()) && matches!(who, Who::Op1 | Who::Op2) {
                token = Some(operator.access);
            }
            Value::Null
        }
        "PATCH /api/v1/stations/{id}" => {
            id = side().station.clone();
            match variant.ends_with(":name") {
                true => json!({"name": "矩阵1号驿站"}),
                false => json!({"occupancy": 3}),
            }
        }
        "POST /api/v1/stations/{id}/check-ins" => {
            id = side().station.clone();
            json!({"code": w.checkin_code(&id).await})
        }
        "POST /api/v1/stations/{id}/redemptions" => {
            id = side().station.clone();
            let reward = match variant.ends_with(":reward2") {
                true => &w.sides[1].reward,
                false => &w.any_reward,
            };
            json!({"code": w.fresh_code(s()).await, "reward_id": reward})
        }
        "POST /api/v1/stations/{id}/rider-identifications" => {
            id = side().station.clone();
            json!({"code": format!("warmnew:redeem:{}", w.fresh_code(s()).await)})
        }
        "POST /api/v1/stations/{id}/service-logs" => {
            id = side().station.clone();
            headers.push(("Idempotency-Key", Uuid::now_v7().to_string()));
            json!({"service_type": "hot_water"})
        }
        "POST /api/v1/stations/{id}/service-logs/{log_id}/void" => {
            id = side().station.clone();
            let log_side = if variant.ends_with(":log2") { 1 } else { s() };
            log_id = w.fresh_log(log_side).await;
            json!({"reason": "登记重复"})
        }
        "POST /api/v1/stations/{id}/checkin-code/rotate" => {
            id = side().station.clone();
            json!({})
        }
        "GET /api/v1/stations/{id}"
        | "GET /api/v1/stations/{id}/checkin-code"
        | "GET /api/v1/stations/{id}/poster"
        | "GET /api/v1/stations/{id}/service-logs"
        | "GET /api/v1/stations/{id}/summary" => {
            id = side().station.clone();
            Value::Null
        }
        "POST /open311/v2/requests.{format}" => json!({
            "service_code": "hazard_report", "description": "路口井盖缺失，夜里很危险。",
            "lat": 31.2235, "long": 121.4452,
        }),
        _ if method == "GET" && variants(op).is_some() => Value::Null,
        _ => panic!("{op} has variants in recipes.rs but no arm in prepare"),
    };
    let path = template
        .replace("{id}", &id)
        .replace("{year}", &id)
        .replace("{slug}", &id)
        .replace("{locale}", "zh-CN")
        .replace("{log_id}", &log_id)
        .replace("{format}", "json")
        .replace("{service_code}", "hazard_report");
    let path = format!("{path}{}", query(op, variant));
    let body = match body {
        Value::Null => Body::None,
        v => Body::Json(v),
    };
    Call {
        path,
        token,
        body,
        headers,
    }
}

/// Query strings the operation needs to be valid.
fn query(op: &str, variant: &str) -> String {
    let region = match variant {
        "side1" => format!("region={}", DISTRICTS[0]),
        "side2" => format!("region={}", DISTRICTS[1]),
        _ => String::new(),
    };
    match op {
        "GET /api/v1/stations/nearby" => "?lat=31.2235&lng=121.4452".into(),
        "GET /api/v1/star-riders" => format!("?district={}", DISTRICTS[side_of(variant)]),
        _ if op.starts_with("GET /api/v1/analytics/") && !region.is_empty() => format!("?{region}"),
        _ => String::new(),
    }
}

fn fresh_phone() -> String {
    crate::helpers::random_phone()
}

fn import_body() -> String {
    let ext = format!("matrix-{}", Uuid::now_v7().simple());
    json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [121.4452, 31.2235]},
        "properties": {
            "external_id": ext, "name": "导入驿站", "address": "华山路1号",
            "region_code": "310106013", "opening_hours": "24/7",
            "amenities": ["drinking_water"], "capacity": 8,
        },
    }]})
    .to_string()
}

/// A year of 13 statutory days (test data, not a published notice), far from the shipped ones.
fn holidays_2031() -> Value {
    let days = [
        ("01-01", "new_year", "元旦"),
        ("02-05", "spring_festival", "除夕"),
        ("02-06", "spring_festival", "春节"),
        ("02-07", "spring_festival", "春节"),
        ("02-08", "spring_festival", "春节"),
        ("04-05", "qingming", "清明节"),
        ("05-01", "labour_day", "劳动节"),
        ("05-02", "labour_day", "劳动节"),
        ("06-09", "dragon_boat", "端午节"),
        ("09-15", "mid_autumn", "中秋节"),
        ("10-01", "national_day", "国庆节"),
        ("10-02", "national_day", "国庆节"),
        ("10-03", "national_day", "国庆节"),
    ];
    let days: Vec<Value> = days
        .iter()
        .map(|(d, f, n)| json!({"date": format!("2031-{d}"), "festival": f, "name": n}))
        .collect();
    json!({"year": 2031, "source": "测试数据：2031年放假安排", "days": days})
}
