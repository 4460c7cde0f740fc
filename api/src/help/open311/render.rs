//! Requests as Open311 shows them. Nothing identifies the rider or a caller: no id, name or
//! phone, and digit runs and e-mail addresses in free text are masked. Anonymous readers get
//! coordinates rounded further (~1 km).

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::dto::{texts, Locale, Open311Request};
use super::query::open_or_closed;
use crate::entity::{help_event, help_request, region, station};
use crate::error::{ApiError, ApiResult};
use crate::help::domain::{HelpCategory, HelpStatus, HelpTier};
use crate::state::AppState;

/// What the rows refer to, read in one query per table.
struct Lookups {
    stations: HashMap<Uuid, station::Model>,
    regions: HashMap<String, region::Model>,
    /// The latest handler note per request.
    notes: HashMap<Uuid, String>,
}

async fn lookups(state: &AppState, rows: &[help_request::Model]) -> ApiResult<Lookups> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let station_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.station_id).collect();
    let mut codes: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            [
                r.street_code.clone(),
                r.district_code.clone(),
                Some(r.city_code.clone()),
            ]
        })
        .flatten()
        .collect();
    codes.sort();
    codes.dedup();
    let mut out = Lookups {
        stations: HashMap::new(),
        regions: HashMap::new(),
        notes: HashMap::new(),
    };
    if rows.is_empty() {
        return Ok(out);
    }
    if !station_ids.is_empty() {
        out.stations = station::Entity::find()
            .filter(station::Column::Id.is_in(station_ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        for s in out.stations.values() {
            let code = &s.region_code;
            for prefix in [
                code.as_str(),
                code.get(..6).unwrap_or(code),
                code.get(..4).unwrap_or(code),
            ] {
                codes.push(prefix.to_string());
            }
        }
        codes.sort();
        codes.dedup();
    }
    out.regions = region::Entity::find()
        .filter(region::Column::Code.is_in(codes))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.code.clone(), r))
        .collect();
    // Oldest first, so the latest note per request is the one left in the map. Riders' own
    // notes (cancel, reopen) are theirs, not the handler's status notes.
    let events = help_event::Entity::find()
        .filter(help_event::Column::RequestId.is_in(ids))
        .filter(help_event::Column::Note.is_not_null())
        .filter(help_event::Column::ActorRole.ne("rider"))
        .order_by_asc(help_event::Column::At)
        .order_by_asc(help_event::Column::Id)
        .all(&state.db)
        .await?;
    for e in events {
        if let Some(note) = e.note.filter(|n| !n.trim().is_empty()) {
            out.notes.insert(e.request_id, note);
        }
    }
    Ok(out)
}

impl Lookups {
    fn region_name(&self, code: Option<&str>, locale: Locale) -> Option<String> {
        let r = self.regions.get(code?)?;
        Some(match (locale, &r.name_en) {
            (Locale::En, Some(en)) => en.clone(),
            _ => r.name_zh.clone(),
        })
    }

    /// The English name of a region or, when it has none (most streets), of the district or
    /// city it belongs to (GB/T 2260 codes nest by prefix).
    fn english_name(&self, code: &str) -> Option<String> {
        [
            code,
            code.get(..6).unwrap_or(code),
            code.get(..4).unwrap_or(code),
        ]
        .into_iter()
        .find_map(|c| self.regions.get(c).and_then(|r| r.name_en.clone()))
    }

    /// In English a station without an English name is called by its street's English name,
    /// never by its Chinese one.
    fn station_name(&self, id: Option<Uuid>, locale: Locale) -> Option<String> {
        let s = self.stations.get(&id?)?;
        Some(match (locale, &s.name_en) {
            (Locale::Zh, _) => s.name.clone(),
            (Locale::En, Some(en)) => en.clone(),
            (Locale::En, None) => match self.english_name(&s.region_code) {
                Some(region) => format!("Warm-New Station, {region}"),
                None => "Warm-New Station".to_string(),
            },
        })
    }

    /// The tier's office (falling back to the broader ones it belongs to).
    fn agency(&self, r: &help_request::Model, tier: HelpTier, locale: Locale) -> String {
        let (street, district, city) = (
            r.street_code.as_deref(),
            r.district_code.as_deref(),
            Some(r.city_code.as_str()),
        );
        let candidates: Vec<Option<String>> = match tier {
            HelpTier::Station => vec![
                self.station_name(r.station_id, locale),
                self.region_name(street, locale),
                self.region_name(district, locale),
            ],
            HelpTier::Street => vec![
                self.region_name(street, locale),
                self.region_name(district, locale),
            ],
            HelpTier::District => vec![self.region_name(district, locale)],
            HelpTier::City => vec![],
        };
        candidates
            .into_iter()
            .flatten()
            .next()
            .or_else(|| self.region_name(city, locale))
            .unwrap_or_else(|| r.city_code.clone())
    }

    fn address(&self, r: &help_request::Model, locale: Locale) -> String {
        if let Some(text) = &r.address_text {
            return mask_personal(text);
        }
        if let Some(s) = r.station_id.and_then(|id| self.stations.get(&id)) {
            return s.address.clone();
        }
        [r.street_code.as_deref(), r.district_code.as_deref()]
            .into_iter()
            .find_map(|c| self.region_name(c, locale))
            .or_else(|| self.region_name(Some(&r.city_code), locale))
            .unwrap_or_default()
    }
}

/// What happens next, by who holds it.
pub fn notice(tier: HelpTier, locale: Locale) -> &'static str {
    match (locale, tier) {
        (Locale::Zh, HelpTier::Station) => "已转至驿站，由驿站受理",
        (Locale::Zh, HelpTier::Street) => "已转至街道，由街道受理",
        (Locale::Zh, HelpTier::District) => "已转至区级部门受理",
        (Locale::Zh, HelpTier::City) => "已转至市级部门受理",
        (Locale::En, HelpTier::Station) => "Passed to the station, which handles it",
        (Locale::En, HelpTier::Street) => "Passed to the street office (街道)",
        (Locale::En, HelpTier::District) => "Passed to the district office",
        (Locale::En, HelpTier::City) => "Passed to the city office",
    }
}

/// Where the request stands, in the reader's language, then the handler's latest note (their
/// words, masked).
fn status_notes(status: &str, note: Option<&String>, locale: Locale) -> String {
    use HelpStatus::*;
    let label = match (HelpStatus::parse(status), locale) {
        (Some(Submitted), Locale::Zh) => "已提交，等待受理",
        (Some(Accepted), Locale::Zh) => "已受理",
        (Some(InProgress), Locale::Zh) => "处理中",
        (Some(Resolved), Locale::Zh) => "已办结",
        (Some(Closed), Locale::Zh) => "已关闭",
        (Some(Rejected), Locale::Zh) => "不予受理",
        (Some(Cancelled), Locale::Zh) => "已撤回",
        (Some(Reopened), Locale::Zh) => "已重新打开",
        (Some(Submitted), Locale::En) => "Submitted, waiting to be accepted",
        (Some(Accepted), Locale::En) => "Accepted",
        (Some(InProgress), Locale::En) => "In progress",
        (Some(Resolved), Locale::En) => "Resolved",
        (Some(Closed), Locale::En) => "Closed",
        (Some(Rejected), Locale::En) => "Rejected",
        (Some(Cancelled), Locale::En) => "Withdrawn by the rider",
        (Some(Reopened), Locale::En) => "Reopened",
        (None, Locale::Zh) => "状态未知",
        (None, Locale::En) => "Status unknown",
    };
    match (note, locale) {
        (Some(n), Locale::Zh) => format!("{label}：{}", mask_personal(n)),
        (Some(n), Locale::En) => format!("{label}: {}", mask_personal(n)),
        (None, _) => label.to_string(),
    }
}

/// Stored coordinates are ~100 m; anonymous readers get ~1 km.
fn shown(v: f64, public: bool) -> f64 {
    if public {
        (v * 100.0).round() / 100.0
    } else {
        v
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub use super::mask::mask_personal;

pub async fn render(
    state: &AppState,
    rows: &[help_request::Model],
    locale: Locale,
    public: bool,
) -> ApiResult<Vec<Open311Request>> {
    let l = lookups(state, rows).await?;
    rows.iter()
        .map(|r| {
            let stored =
                |what: &str| ApiError::internal("open311", format!("stored {what} unknown"));
            let category = HelpCategory::parse(&r.category).ok_or_else(|| stored("category"))?;
            let tier = HelpTier::parse(&r.tier).ok_or_else(|| stored("tier"))?;
            let (name, ..) = texts(category, locale);
            Ok(Open311Request {
                service_request_id: r.id.to_string(),
                status: open_or_closed(&r.status).to_string(),
                status_notes: Some(status_notes(&r.status, l.notes.get(&r.id), locale)),
                service_name: name.to_string(),
                service_code: category.as_str().to_string(),
                description: mask_personal(&r.description),
                agency_responsible: l.agency(r, tier, locale),
                service_notice: notice(tier, locale).to_string(),
                requested_datetime: time(r.created_at),
                updated_datetime: time(r.updated_at),
                expected_datetime: r.due_at.map(time),
                address: l.address(r, locale),
                lat: r.lat.filter(|_| r.lng.is_some()).map(|v| shown(v, public)),
                long: r.lng.filter(|_| r.lat.is_some()).map(|v| shown(v, public)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_masked() {
        let masked = mask_personal(
            "电话13812345678，或 138-1234-5678，+86 138 1234 5678，邮箱 rider.x@example.com，身份证 31010119900101123X，订单 12 份",
        );
        for leak in [
            "13812345678",
            "1234",
            "5678",
            "rider.x",
            "example.com",
            "3101011990",
        ] {
            assert!(!masked.contains(leak), "{leak} in {masked}");
        }
        assert!(
            masked.contains("订单 12 份"),
            "short numbers stay: {masked}"
        );
    }

    #[test]
    fn locales() {
        assert_eq!(Locale::parse(None), Some(Locale::Zh));
        assert_eq!(Locale::parse(Some("zh-CN")), Some(Locale::Zh));
        assert_eq!(Locale::parse(Some("en-US")), Some(Locale::En));
        assert_eq!(Locale::parse(Some("fr")), None);
    }

    #[test]
    fn status_notes_speak_the_readers_language() {
        assert_eq!(status_notes("accepted", None, Locale::Zh), "已受理");
        assert_eq!(
            status_notes("rejected", Some(&"打 13812345678".to_string()), Locale::En),
            "Rejected: 打 ***"
        );
        assert_eq!(status_notes("bogus", None, Locale::En), "Status unknown");
        assert_eq!(shown(31.2246, true), 31.22);
        assert_eq!(shown(31.224, false), 31.224);
    }
}
