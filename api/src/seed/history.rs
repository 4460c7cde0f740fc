//! Synthetic history for the demo city, so the dashboard means something on first start:
//! riders who check in, services logged, help requests handled (some slowly, some from places
//! no station reaches), lessons passed. Deterministic for a seed; runs once (when no history
//! exists yet) and ends by rebuilding the daily rollups for the whole span.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use crate::analytics::rollup;
use crate::auth::password::{self, Password};
use crate::auth::phone::Phone;
use crate::entity::{
    check_in, help_event, help_request, lesson, lesson_attempt, lesson_progress, points_ledger,
    service_log, station, user,
};
use crate::error::ApiError;
use crate::points::visits::{self, CHECKIN_POINTS};
use crate::service_logs::days;
use crate::service_logs::domain::ServiceType;
use crate::state::AppState;

const RIDERS: usize = 1200;
const CHUNK: usize = 400;
/// The first synthetic rider's phone; they share a password nobody is told.
const FIRST_PHONE: u64 = 137_0000_0000;
/// Places riders ask for help from that no demo station is near (Anting in Jiading, south-west
/// Songjiang, south Fengxian, east Pudong: 20–80 minutes out), so the coverage map has blank
/// spots: (lat, lng, district code).
const FAR_PLACES: [(f64, f64, &str); 4] = [
    (31.4500, 121.1200, "310114"),
    (30.9500, 121.1000, "310117"),
    (30.8500, 121.5500, "310120"),
    (31.0500, 121.8000, "310115"),
];
const CATEGORIES: [&str; 8] = [
    "vehicle_breakdown",
    "customer_dispute",
    "platform_dispute",
    "wage_arrears",
    "traffic_accident",
    "hazard_report",
    "medical",
    "suggestion",
];

struct Station {
    id: Uuid,
    lat: f64,
    lng: f64,
    region: String,
    busy: f64,
}

pub async fn seed(state: &AppState, days_back: u32) -> Result<(), ApiError> {
    let first_rider = Phone::parse(&FIRST_PHONE.to_string())
        .map_err(|e| ApiError::internal("demo phone", e.message))?;
    let done = user::Entity::find()
        .filter(user::Column::PhoneHash.eq(state.phones.lookup_hash(&first_rider)))
        .count(&state.db)
        .await?;
    if days_back == 0 || done > 0 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut rng = StdRng::seed_from_u64(20_261_204);
    let stations: Vec<Station> = station::Entity::find()
        .filter(station::Column::Status.ne("closed_permanently"))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| Station {
            id: s.id,
            lat: s.lat,
            lng: s.lng,
            region: s.region_code,
            busy: 0.5 + rng.gen::<f64>() * 1.5,
        })
        .collect();
    if stations.is_empty() {
        return Ok(());
    }
    let riders = riders(state, &mut rng).await?;
    let now = Utc::now();
    let today = days::today(now);
    let first = today - Duration::days(i64::from(days_back) - 1);
    let slugs: Vec<String> = lesson::Entity::find()
        .select_only()
        .column(lesson::Column::Slug)
        .distinct()
        .into_tuple()
        .all(&state.db)
        .await?;

    let mut visits = Vec::new();
    let mut points = Vec::new();
    let mut logs = Vec::new();
    let mut day = first;
    while day <= today {
        let (start, _) = days::bounds(day);
        let weekend = matches!(
            chrono::Datelike::weekday(&day),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        );
        for s in &stations {
            let mean = s.busy * if weekend { 3.0 } else { 5.0 };
            let n = (mean * (0.5 + rng.gen::<f64>())) as usize;
            let mut seen = HashSet::new();
            for _ in 0..n {
                // Riders keep to a part of town: each station draws from its own slice.
                let slot = (s.id.as_u128() as usize + rng.gen_range(0..40)) % riders.len();
                let rider = riders[slot];
                let at = start + Duration::minutes(rng.gen_range(7 * 60..23 * 60));
                if at > now || !seen.insert(rider) {
                    continue;
                }
                visits.push(check_in::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    station_id: Set(s.id),
                    rider_id: Set(rider),
                    created_at: Set(at),
                });
                points.push(points_ledger::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    rider_id: Set(rider),
                    delta: Set(CHECKIN_POINTS),
                    reason: Set("check_in".into()),
                    source: Set(visits::source(s.id, at)),
                    created_at: Set(at),
                });
            }
            for _ in 0..(mean * 1.4) as usize {
                let at = start + Duration::minutes(rng.gen_range(7 * 60..22 * 60));
                if at > now {
                    continue;
                }
                let kind = [
                    ServiceType::HotWater,
                    ServiceType::PhoneCharging,
                    ServiceType::MealHeating,
                    ServiceType::Toilet,
                    ServiceType::RestArea,
                    ServiceType::Umbrella,
                    ServiceType::RepairTools,
                    ServiceType::FirstAid,
                ][rng.gen_range(0..8usize).min(rng.gen_range(0..8usize))];
                logs.push(service_log::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    station_id: Set(s.id),
                    service_type: Set(kind.code().into()),
                    quantity: Set(rng.gen_range(1..=3)),
                    rider_id: Set(None),
                    note: Set(None),
                    occurred_at: Set(at),
                    operator_id: Set(None),
                    created_at: Set(at),
                    voided_at: Set(None),
                    voided_by: Set(None),
                    void_reason: Set(None),
                });
            }
        }
        day += Duration::days(1);
    }
    let (nv, nl) = (visits.len(), logs.len());
    insert_all(state, visits).await?;
    insert_all(state, points).await?;
    insert_all(state, logs).await?;
    help(state, &mut rng, &stations, &riders, first, now).await?;
    lessons(state, &mut rng, &riders, &slugs, first, now).await?;
    rollup::rebuild_range(state, first, today).await?;
    tracing::info!(
        days = days_back,
        check_ins = nv,
        service_logs = nl,
        ms = started.elapsed().as_millis() as u64,
        "demo history created"
    );
    Ok(())
}

async fn insert_all<A: sea_orm::ActiveModelTrait + Clone + Send>(
    state: &AppState,
    rows: Vec<A>,
) -> Result<(), ApiError>
where
    A::Entity: EntityTrait,
{
    for chunk in rows.chunks(CHUNK) {
        <A::Entity as EntityTrait>::insert_many(chunk.to_vec())
            .exec_without_returning(&state.db)
            .await?;
    }
    Ok(())
}

/// Synthetic riders (phones 1370000xxxx) who cannot log in: their password is random.
async fn riders(state: &AppState, rng: &mut StdRng) -> Result<Vec<Uuid>, ApiError> {
    let secret: String = (0..24)
        .map(|_| rng.sample(rand::distributions::Alphanumeric) as char)
        .collect();
    let hash = password::hash(
        &state.passwords,
        &Password::parse(&secret, None)
            .map_err(|e| ApiError::internal("demo password", e.message))?,
        &state.settings.auth,
    )
    .await?;
    let now = Utc::now();
    let mut ids = Vec::with_capacity(RIDERS);
    let mut rows = Vec::with_capacity(RIDERS);
    for i in 0..RIDERS {
        let phone = Phone::parse(&format!("{}", FIRST_PHONE + i as u64))
            .map_err(|e| ApiError::internal("demo phone", e.message))?;
        let id = Uuid::now_v7();
        ids.push(id);
        rows.push(user::ActiveModel {
            id: Set(id),
            role: Set("rider".into()),
            phone_enc: Set(state.phones.encrypt(&phone)),
            phone_hash: Set(state.phones.lookup_hash(&phone)),
            password_hash: Set(hash.clone()),
            display_name: Set(format!("骑手{:04}", i + 1)),
            locale: Set("zh-CN".into()),
            station_id: Set(None),
            region_code: Set(None),
            token_version: Set(0),
            star_opt_in: Set(false),
            disabled_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    insert_all(state, rows).await?;
    Ok(ids)
}

fn event(
    request: Uuid,
    at: DateTime<Utc>,
    role: &str,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
    tier: &str,
) -> help_event::ActiveModel {
    help_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(request),
        at: Set(at),
        actor_id: Set(None),
        actor_role: Set(role.into()),
        kind: Set(kind.into()),
        from_status: Set(from.map(str::to_string)),
        to_status: Set(to.map(str::to_string)),
        tier: Set(Some(tier.into())),
        note: Set(None),
        ..Default::default()
    }
}

/// Finished help requests with their timelines: most near a station and handled there, some
/// from far places (district tier), a few answered late.
async fn help(
    state: &AppState,
    rng: &mut StdRng,
    stations: &[Station],
    riders: &[Uuid],
    first: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let span = (now - days::bounds(first).0).num_minutes().max(60);
    let mut requests = Vec::new();
    let mut events = Vec::new();
    let n = (span / (24 * 60) * 6) as usize;
    for i in 0..n {
        let created = now - Duration::minutes(rng.gen_range(60..span));
        let far = i % 5 == 0;
        let (lat, lng, station, street, district, tier) = if far {
            let (lat, lng, district) = FAR_PLACES[i / 5 % FAR_PLACES.len()];
            let mut jitter = || (rng.gen::<f64>() - 0.5) * 0.01;
            (
                lat + jitter(),
                lng + jitter(),
                None,
                None,
                district.to_string(),
                "district",
            )
        } else {
            let s = &stations[rng.gen_range(0..stations.len())];
            let district = s.region.get(..6).unwrap_or(&s.region).to_string();
            let street = (s.region.len() >= 9).then(|| s.region.clone());
            (s.lat, s.lng, Some(s.id), street, district, "station")
        };
        let id = Uuid::now_v7();
        let late = rng.gen_range(0..10) == 0;
        let accepted = created
            + Duration::minutes(if late {
                rng.gen_range(1500..3000)
            } else {
                rng.gen_range(3..240)
            });
        let resolved = accepted + Duration::minutes(rng.gen_range(30..3000));
        let finished = resolved < now;
        let rating = (finished && rng.gen_range(0..3) > 0).then(|| {
            if rng.gen_range(0..6) == 0 {
                3
            } else {
                rng.gen_range(4..=5)
            }
        });
        let status = match (accepted < now, finished, rating) {
            (_, true, Some(_)) => "closed",
            (_, true, None) => "resolved",
            (true, false, _) => "in_progress",
            _ => "submitted",
        };
        requests.push(help_request::ActiveModel {
            id: Set(id),
            rider_id: Set(Some(riders[rng.gen_range(0..riders.len())])),
            category: Set(CATEGORIES[rng.gen_range(0..CATEGORIES.len())].into()),
            urgency: Set("normal".into()),
            description: Set("（演示数据）骑手求助".into()),
            lat: Set(Some((lat * 1000.0).round() / 1000.0)),
            lng: Set(Some((lng * 1000.0).round() / 1000.0)),
            station_id: Set(station),
            street_code: Set(street),
            district_code: Set(Some(district)),
            city_code: Set("3101".into()),
            tier: Set(tier.into()),
            status: Set(status.into()),
            assignee_id: Set(None),
            due_at: Set(match status {
                "submitted" => Some(created + Duration::hours(24)),
                "in_progress" => Some(created + Duration::days(7)),
                _ => None,
            }),
            accept_due_at: Set(Some(created + Duration::hours(24))),
            resolve_due_at: Set(Some(created + Duration::days(7))),
            breach_noted: Set(late),
            resolved_at: Set(finished.then_some(resolved)),
            reopen_count: Set(0),
            rating: Set(rating),
            feedback_comment: Set(None),
            feedback_at: Set(rating.map(|_| resolved + Duration::hours(2))),
            version: Set(0),
            created_at: Set(created),
            updated_at: Set(created),
            // Contact fields of partner filings (Open311) stay unset.
            ..Default::default()
        });
        events.push(event(
            id,
            created,
            "rider",
            "submitted",
            None,
            Some("submitted"),
            tier,
        ));
        if late {
            events.push(event(
                id,
                created + Duration::hours(24),
                "system",
                "sla_breached",
                None,
                None,
                tier,
            ));
        }
        let handler = if far { "staff" } else { "operator" };
        if accepted < now {
            events.push(event(
                id,
                accepted,
                handler,
                "accepted",
                Some("submitted"),
                Some("accepted"),
                tier,
            ));
            events.push(event(
                id,
                accepted + Duration::minutes(5),
                handler,
                "started",
                Some("accepted"),
                Some("in_progress"),
                tier,
            ));
        }
        if finished {
            events.push(event(
                id,
                resolved,
                handler,
                "resolved",
                Some("in_progress"),
                Some("resolved"),
                tier,
            ));
        }
        if rating.is_some() {
            events.push(event(
                id,
                resolved + Duration::hours(2),
                "rider",
                "feedback",
                Some("resolved"),
                Some("closed"),
                tier,
            ));
        }
    }
    insert_all(state, requests).await?;
    insert_all(state, events).await?;
    Ok(())
}

async fn lessons(
    state: &AppState,
    rng: &mut StdRng,
    riders: &[Uuid],
    slugs: &[String],
    first: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if slugs.is_empty() {
        return Ok(());
    }
    let span = (now - days::bounds(first).0).num_minutes().max(60);
    let mut progress = Vec::new();
    let mut attempts = Vec::new();
    let mut done = HashSet::new();
    for _ in 0..riders.len() {
        let rider = riders[rng.gen_range(0..riders.len())];
        let slug = &slugs[rng.gen_range(0..slugs.len())];
        if !done.insert((rider, slug.clone())) {
            continue;
        }
        let at = now - Duration::minutes(rng.gen_range(1..span));
        let passed = rng.gen_range(0..4) > 0;
        let score = if passed {
            rng.gen_range(80..=100)
        } else {
            rng.gen_range(20..60)
        };
        attempts.push(lesson_attempt::ActiveModel {
            id: Set(Uuid::now_v7()),
            rider_id: Set(rider),
            slug: Set(slug.clone()),
            locale: Set("zh-CN".into()),
            version: Set(1),
            score: Set(score),
            passed: Set(passed),
            answers_json: Set("[]".into()),
            created_at: Set(at),
        });
        progress.push(lesson_progress::ActiveModel {
            rider_id: Set(rider),
            slug: Set(slug.clone()),
            best_score: Set(score),
            passed: Set(passed),
            attempts: Set(1),
            points_awarded: Set(0),
            first_passed_at: Set(passed.then_some(at)),
            updated_at: Set(at),
        });
    }
    insert_all(state, attempts).await?;
    insert_all(state, progress).await?;
    Ok(())
}
