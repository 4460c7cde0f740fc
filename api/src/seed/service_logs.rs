//! A week of services at the demo operator's station and its Jing'an neighbours, so the
//! console's counters, the day summary and the log have something to show on first start.

use chrono::{Duration, Utc};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{occupancy_sample, service_log, station, user};
use crate::error::ApiError;
use crate::service_logs::domain::ServiceType;
use crate::state::AppState;

const DAYS: i64 = 7;
const STATIONS: u64 = 12;
/// The most given services, with their weight in a day.
const MIX: [(ServiceType, u32); 8] = [
    (ServiceType::HotWater, 9),
    (ServiceType::PhoneCharging, 7),
    (ServiceType::MealHeating, 5),
    (ServiceType::Toilet, 4),
    (ServiceType::RestArea, 4),
    (ServiceType::Umbrella, 1),
    (ServiceType::RepairTools, 1),
    (ServiceType::FirstAid, 1),
];

pub async fn seed(state: &AppState) -> Result<(), ApiError> {
    if service_log::Entity::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let operator = user::Entity::find()
        .filter(user::Column::Role.eq("operator"))
        .filter(user::Column::StationId.is_not_null())
        .order_by_asc(user::Column::CreatedAt)
        .one(&state.db)
        .await?;
    let Some(home) = operator.as_ref().and_then(|o| o.station_id) else {
        return Ok(());
    };
    let mut stations: Vec<Uuid> = station::Entity::find()
        .select_only()
        .column(station::Column::Id)
        .filter(station::Column::RegionCode.starts_with("310106"))
        .filter(station::Column::Id.ne(home))
        .order_by_asc(station::Column::Id)
        .limit(STATIONS - 1)
        .into_tuple()
        .all(&state.db)
        .await?;
    stations.insert(0, home);

    let now = Utc::now();
    let mut logs = Vec::new();
    let mut samples = Vec::new();
    for (s, &station_id) in stations.iter().enumerate() {
        let by = (station_id == home)
            .then(|| operator.as_ref().map(|o| o.id))
            .flatten();
        for day in 0..DAYS {
            // A steady, plausible spread: busier at the home station and on weekdays.
            let scale = if s == 0 { 2 } else { 1 } + (day % 3) as u32;
            for (k, (kind, weight)) in MIX.iter().enumerate() {
                let n = weight * scale / 2;
                for i in 0..n {
                    let minutes = 7 * 60 + ((i * 53 + k as u32 * 31) % (14 * 60)) as i64;
                    let at = now - Duration::days(day) - Duration::minutes(minutes);
                    logs.push(service_log::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        station_id: Set(station_id),
                        service_type: Set(kind.code().into()),
                        quantity: Set(1 + (i % 3 == 0) as i32),
                        rider_id: Set(None),
                        note: Set(None),
                        occurred_at: Set(at),
                        operator_id: Set(by),
                        created_at: Set(at),
                        voided_at: Set(None),
                        voided_by: Set(None),
                        void_reason: Set(None),
                    });
                }
            }
            for hour in [9i64, 12, 18] {
                samples.push(occupancy_sample::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    station_id: Set(station_id),
                    occupancy: Set(((hour as u32 + scale * 2) % 11) as i32),
                    at: Set(now - Duration::days(day) - Duration::hours(hour % 10)),
                });
            }
        }
    }
    let n = logs.len();
    for chunk in logs.chunks(200) {
        service_log::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&state.db)
            .await?;
    }
    for chunk in samples.chunks(200) {
        occupancy_sample::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&state.db)
            .await?;
    }
    tracing::info!(
        entries = n,
        stations = stations.len(),
        "demo service logs created"
    );
    Ok(())
}
