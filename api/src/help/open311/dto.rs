//! Open311 GeoReport v2 shapes (field names and types as the spec has them) and the service
//! catalogue: one service per help category, in Chinese and English.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::help::domain::HelpCategory;

/// The answer's format, from the path's extension: `json`, or `xml` (the spec's default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Open311Format)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// For answers not produced by a handler (errors): `.xml` paths get XML.
    pub fn of_path(path: &str) -> Format {
        if path.ends_with(".xml") {
            Format::Xml
        } else {
            Format::Json
        }
    }
}

/// `GET /services/{service_code}`: the extra questions a service asks (none here: every
/// service has `metadata: false`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311ServiceDefinition {
    pub service_code: String,
    /// Always empty.
    #[schema(value_type = Vec<Object>)]
    pub attributes: Vec<serde_json::Value>,
}

/// `GET discovery`: where this server's GeoReport v2 endpoint is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Discovery {
    #[schema(example = "2026-12-04 00:00")]
    pub changeset: String,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<Open311Endpoint>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Endpoint {
    #[schema(example = "http://wiki.open311.org/GeoReport_v2")]
    pub specification: String,
    #[schema(example = "https://stations.example.cn/open311/v2")]
    pub url: String,
    pub changeset: String,
    /// `production` or `test`.
    #[serde(rename = "type")]
    pub r#type: String,
    /// `text/xml`, `application/json`.
    pub formats: Vec<String>,
}

/// One error, as the spec shapes them (an array of these, also in XML as `<errors>`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Error {
    /// The HTTP status.
    #[schema(example = 422)]
    pub code: u16,
    /// What went wrong; a field's problem starts with the field's name (`lat: ...`).
    #[schema(example = "service_code: choose a service")]
    pub description: String,
}

/// One service type (`GET /services.json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Service {
    /// The help category's code.
    #[schema(example = "wage_arrears")]
    pub service_code: String,
    #[schema(example = "欠薪")]
    pub service_name: String,
    pub description: String,
    /// Always false: no extra attributes are asked for.
    pub metadata: bool,
    /// Always `realtime`: a POST answers with the request's id at once.
    #[serde(rename = "type")]
    #[schema(example = "realtime")]
    pub r#type: String,
    /// Comma-separated.
    pub keywords: String,
    pub group: String,
}

/// One service request as Open311 shows it. Never the rider's identity or contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Request {
    pub service_request_id: String,
    /// `open` or `closed`.
    #[schema(example = "open")]
    pub status: String,
    /// The handler's latest note (e.g. why it was rejected), if any.
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    /// The rider's description, with digit runs (phone, ID and card numbers) and e-mail
    /// addresses masked.
    pub description: String,
    /// Who handles it now: the station, or the street / district / city office.
    #[schema(example = "静安寺街道")]
    pub agency_responsible: String,
    pub service_notice: String,
    #[schema(example = "2026-05-01T08:15:30Z")]
    pub requested_datetime: String,
    pub updated_datetime: String,
    /// The current step's deadline; null once finished.
    pub expected_datetime: Option<String>,
    /// The station's address, else the region's name.
    pub address: String,
    /// WGS-84, coarsened to ~100 m; absent when no location was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(rename = "long", skip_serializing_if = "Option::is_none")]
    pub long: Option<f64>,
}

/// The answer to `POST /requests.json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Created {
    pub service_request_id: String,
    pub service_notice: String,
    /// Always null: accounts are not exposed.
    #[schema(value_type = Option<String>)]
    pub account_id: Option<()>,
}

/// A new request as Open311 clients send it: form-encoded, multipart (file parts such as
/// `media` are dropped) or JSON. A location is required: `lat` and `long`, `address_string` or
/// `address_id`. Riders (bearer token) are who asked, so their contact fields are ignored; an
/// `api_key` holder (a hotline filing for a caller) may give the caller's `first_name`,
/// `last_name`, `phone` and `email`, which are stored encrypted and never shown by Open311.
#[derive(Debug, Clone, PartialEq, ToSchema)]
pub struct Open311NewRequest {
    #[schema(example = "vehicle_breakdown")]
    pub service_code: String,
    /// 1–2000 characters.
    #[schema(max_length = 2000)]
    pub description: String,
    /// WGS-84; both or neither of lat/long.
    #[schema(example = 31.2235, minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[schema(example = 121.4452, minimum = -180, maximum = 180)]
    pub long: Option<f64>,
    /// Where, in words, when there are no coordinates.
    #[schema(max_length = 200)]
    pub address_string: Option<String>,
    /// An address id of the caller's system, kept as text.
    #[schema(max_length = 200)]
    pub address_id: Option<String>,
    /// Reads every request and files for callers (instead of a rider's bearer token); may
    /// also be sent in the query string.
    pub api_key: Option<String>,
    #[schema(max_length = 40)]
    pub first_name: Option<String>,
    #[schema(max_length = 40)]
    pub last_name: Option<String>,
    #[schema(example = "13800138000")]
    pub phone: Option<String>,
    #[schema(max_length = 254)]
    pub email: Option<String>,
}

/// Query of `POST /requests`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Open311PostParams {
    /// Files for a caller (a hotline, a partner) instead of a rider's bearer token.
    pub api_key: Option<String>,
    /// Ignored: one jurisdiction per deployment.
    pub jurisdiction_id: Option<String>,
    /// `zh-CN` (default) or `en`.
    #[param(value_type = Option<crate::users::dto::Locale>)]
    pub locale: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocaleParams {
    /// `zh-CN` (default) or `en`.
    #[param(value_type = Option<crate::users::dto::Locale>)]
    pub locale: Option<String>,
}

/// Query of `GET /requests.json`. Values are parsed by hand so each bad one is named.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Open311ListParams {
    /// Reads every request. Without it: a bearer token reads what the API shows its holder;
    /// anonymous callers read the public civic categories (hazard reports, suggestions).
    pub api_key: Option<String>,
    /// Ignored: one jurisdiction per deployment.
    pub jurisdiction_id: Option<String>,
    /// Comma-separated ids; when given, the other filters are ignored (as the spec says).
    pub service_request_id: Option<String>,
    /// Comma-separated service codes.
    pub service_code: Option<String>,
    /// Earliest `requested_datetime` (W3C date-time, years 1970–9999). Without start and
    /// end: the last 90 days.
    #[param(schema_with = w3c_date)]
    pub start_date: Option<String>,
    #[param(schema_with = w3c_date)]
    pub end_date: Option<String>,
    /// `open` or `closed` (comma-separated).
    pub status: Option<String>,
    /// `zh-CN` (default) or `en`.
    #[param(value_type = Option<crate::users::dto::Locale>)]
    pub locale: Option<String>,
    /// Page from 1 (the common GeoReport extension).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 1–1000 (default 1000, the spec's limit).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000)]
    pub page_size: Option<String>,
}

/// Query of `GET /requests/{id}.json`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Open311GetParams {
    pub api_key: Option<String>,
    pub jurisdiction_id: Option<String>,
    #[param(value_type = Option<crate::users::dto::Locale>)]
    pub locale: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Zh,
    En,
}

impl Locale {
    /// `zh`, `zh-CN`, `zh_Hans`… and `en`, `en-US`…; unset is Chinese.
    pub fn parse(raw: Option<&str>) -> Option<Locale> {
        let raw = raw.map(str::trim).unwrap_or("");
        let lang = raw.split(['-', '_']).next().unwrap_or("");
        match lang.to_ascii_lowercase().as_str() {
            "" | "zh" => Some(Locale::Zh),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// A service's texts: (name, description, keywords, group), Chinese then English.
type Texts = [(&'static str, &'static str, &'static str, &'static str); 2];

pub fn texts(
    c: HelpCategory,
    locale: Locale,
) -> (&'static str, &'static str, &'static str, &'static str) {
    use HelpCategory::*;
    let t: Texts = match c {
        WageArrears => [
            (
                "欠薪",
                "工资、配送费被拖欠或克扣",
                "欠薪,工资,拖欠,克扣",
                "权益保障",
            ),
            (
                "Wage arrears",
                "Unpaid or withheld wages and delivery fees",
                "wages,unpaid,arrears",
                "Rights",
            ),
        ],
        TrafficAccident => [
            (
                "交通事故",
                "配送途中发生的交通事故",
                "交通事故,碰撞,受伤",
                "安全与健康",
            ),
            (
                "Traffic accident",
                "A road accident while delivering",
                "accident,collision,injury",
                "Safety and health",
            ),
        ],
        CustomerDispute => [
            (
                "客户纠纷",
                "与顾客或商家之间的纠纷",
                "顾客,商家,纠纷,投诉",
                "权益保障",
            ),
            (
                "Customer dispute",
                "A dispute with a customer or a merchant",
                "customer,merchant,dispute",
                "Rights",
            ),
        ],
        PlatformDispute => [
            (
                "平台纠纷",
                "与配送平台之间的纠纷（罚款、封号、派单）",
                "平台,罚款,封号,派单",
                "权益保障",
            ),
            (
                "Platform dispute",
                "A dispute with the delivery platform (fines, bans, dispatch)",
                "platform,fine,ban",
                "Rights",
            ),
        ],
        VehicleBreakdown => [
            (
                "车辆故障",
                "电动车故障、爆胎或电池问题",
                "电动车,爆胎,电池,维修",
                "安全与健康",
            ),
            (
                "Vehicle breakdown",
                "E-bike breakdown, flat tyre or battery trouble",
                "e-bike,flat tyre,battery,repair",
                "Safety and health",
            ),
        ],
        Medical => [
            (
                "医疗求助",
                "身体不适、中暑或受伤需要帮助",
                "医疗,中暑,受伤,急救",
                "安全与健康",
            ),
            (
                "Medical help",
                "Feeling unwell, heatstroke or an injury",
                "medical,heatstroke,injury,first aid",
                "Safety and health",
            ),
        ],
        LegalConsult => [
            (
                "法律咨询",
                "劳动合同、工伤、保险等法律问题",
                "法律,合同,工伤,保险",
                "权益保障",
            ),
            (
                "Legal advice",
                "Questions on contracts, work injury or insurance",
                "legal,contract,work injury,insurance",
                "Rights",
            ),
        ],
        Psychological => [
            (
                "心理支持",
                "压力、情绪困扰，需要有人倾听",
                "心理,压力,情绪,倾诉",
                "安全与健康",
            ),
            (
                "Emotional support",
                "Stress or distress; someone to listen",
                "stress,mental health,support",
                "Safety and health",
            ),
        ],
        Housing => [
            ("住房", "租房、住宿方面的困难", "住房,租房,住宿", "生活保障"),
            (
                "Housing",
                "Trouble with renting or a place to stay",
                "housing,rent,accommodation",
                "Daily life",
            ),
        ],
        ChildrenEducation => [
            (
                "子女教育",
                "子女入学、托管等问题",
                "子女,入学,托管,教育",
                "生活保障",
            ),
            (
                "Children's education",
                "School places and childcare for riders' children",
                "children,school,childcare",
                "Daily life",
            ),
        ],
        HazardReport => [
            (
                "隐患上报",
                "道路、设施等安全隐患",
                "隐患,道路,井盖,积水",
                "城市治理",
            ),
            (
                "Hazard report",
                "A hazard on the road or in public facilities",
                "hazard,road,pothole,flooding",
                "City",
            ),
        ],
        Suggestion => [
            (
                "意见建议",
                "对驿站和服务的意见与建议",
                "建议,意见,驿站",
                "城市治理",
            ),
            (
                "Suggestion",
                "Ideas for the stations and services",
                "suggestion,feedback,station",
                "City",
            ),
        ],
        Other => [
            ("其他", "其他需要帮助的事项", "其他,求助", "其他"),
            (
                "Other",
                "Anything else you need help with",
                "other,help",
                "Other",
            ),
        ],
    };
    match locale {
        Locale::Zh => t[0],
        Locale::En => t[1],
    }
}

pub fn service(c: HelpCategory, locale: Locale) -> Open311Service {
    let (name, description, keywords, group) = texts(c, locale);
    Open311Service {
        service_code: c.as_str().to_string(),
        service_name: name.to_string(),
        description: description.to_string(),
        metadata: false,
        r#type: "realtime".to_string(),
        keywords: keywords.to_string(),
        group: group.to_string(),
    }
}

/// What `start_date` / `end_date` take: a date-time, a plain date (stock clients send either),
/// or nothing (`start_date=`, as some clients send an unset field).
fn w3c_date() -> utoipa::openapi::Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    let string = |format: Option<KnownFormat>| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(format.map(SchemaFormat::KnownFormat))
    };
    AnyOfBuilder::new()
        .item(string(Some(KnownFormat::DateTime)))
        .item(string(Some(KnownFormat::Date)))
        .item(string(None).max_length(Some(0)))
        .build()
        .into()
}
