//! Where a new request goes: the nearest station's operators when it has a station (given, or
//! within 3 km), else the staff of its street / district / city; some categories start higher.

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::domain::{HelpCategory, HelpTier};
use crate::entity::region;
use crate::state::AppState;
use crate::stations::domain::{haversine_m, LatLng};
use crate::stations::index::Query;

/// A location this close to a station belongs to that station.
pub const STATION_RADIUS_M: f64 = 3000.0;
/// A district centroid counts for points up to this multiple of its nominal radius (districts
/// are not circles).
const DISTRICT_REACH: f64 = 1.5;

/// The routing keys stored on the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub station_id: Option<Uuid>,
    pub street_code: Option<String>,
    pub district_code: Option<String>,
    pub city_code: String,
    pub tier: HelpTier,
}

/// A region and its ancestors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    pub street: Option<String>,
    pub district: Option<String>,
    pub city: Option<String>,
}

/// The starting tier: the station when there is one, else the most specific region known;
/// categories a station cannot handle start no lower than the district.
pub fn tier_for(category: HelpCategory, has_station: bool, chain: &Chain) -> HelpTier {
    let base = if has_station {
        HelpTier::Station
    } else if chain.street.is_some() {
        HelpTier::Street
    } else if chain.district.is_some() {
        HelpTier::District
    } else {
        HelpTier::City
    };
    if category.starts_at_district() && base < HelpTier::District {
        if chain.district.is_some() {
            HelpTier::District
        } else {
            HelpTier::City
        }
    } else {
        base
    }
}

/// Walks from a region code up to its city.
pub async fn chain_of<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Chain, DbErr> {
    let mut chain = Chain::default();
    let mut next = Some(code.to_string());
    // Three levels at most; the bound also stops a (corrupt) cycle.
    for _ in 0..4 {
        let Some(code) = next.take() else { break };
        let Some(r) = region::Entity::find_by_id(code).one(conn).await? else {
            break;
        };
        match r.level.as_str() {
            "street" => chain.street = Some(r.code),
            "district" => chain.district = Some(r.code),
            "city" => chain.city = Some(r.code),
            _ => {}
        }
        next = r.parent_code;
    }
    Ok(chain)
}

/// The region of a point without a station: the nearest street centroid within its radius,
/// else the nearest district within reach of its centroid, else the nearest city.
pub fn nearest_region(regions: &[region::Model], at: LatLng) -> Chain {
    let dist = |r: &region::Model| match (r.lat, r.lng) {
        (Some(lat), Some(lng)) => Some(haversine_m(at, LatLng { lat, lng })),
        _ => None,
    };
    let nearest = |level: &str, reach: f64, default_km: f64| {
        regions
            .iter()
            .filter(|r| r.level == level)
            .filter_map(|r| {
                let d = dist(r)?;
                let limit = r.radius_km.unwrap_or(default_km) * 1000.0 * reach;
                (d <= limit).then_some((d, r))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, r)| r)
    };
    let mut chain = Chain::default();
    let parent_of = |code: &str| {
        regions
            .iter()
            .find(|r| r.code == code)
            .and_then(|r| r.parent_code.clone())
    };
    if let Some(street) = nearest("street", 1.0, 1.5) {
        chain.street = Some(street.code.clone());
        chain.district = street.parent_code.clone();
    } else if let Some(district) = nearest("district", DISTRICT_REACH, 5.0) {
        chain.district = Some(district.code.clone());
    }
    chain.city = chain
        .district
        .as_deref()
        .and_then(parent_of)
        .or_else(|| nearest("city", DISTRICT_REACH, 50.0).map(|c| c.code.clone()));
    chain
}

/// The city a request with no usable location belongs to: the nearest to the point if there
/// is one, else the first city on record (the deployment's own city).
async fn fallback_city<C: ConnectionTrait>(
    conn: &C,
    at: Option<LatLng>,
) -> Result<Option<String>, DbErr> {
    let cities = region::Entity::find()
        .filter(region::Column::Level.eq("city"))
        .order_by_asc(region::Column::Code)
        .all(conn)
        .await?;
    let nearest = at.and_then(|at| {
        cities
            .iter()
            .filter_map(|c| {
                Some((
                    haversine_m(
                        at,
                        LatLng {
                            lat: c.lat?,
                            lng: c.lng?,
                        },
                    ),
                    c,
                ))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c.code.clone())
    });
    Ok(nearest.or_else(|| cities.first().map(|c| c.code.clone())))
}

/// Routes a new request. `station` is the station the rider named (already checked to exist
/// and be in service), with its region code.
pub async fn route<C: ConnectionTrait>(
    state: &AppState,
    conn: &C,
    category: HelpCategory,
    at: Option<LatLng>,
    station: Option<(Uuid, String)>,
) -> Result<Route, DbErr> {
    let station = station.or_else(|| {
        let at = at?;
        let hits = state.stations.nearby(&Query {
            at,
            radius_m: STATION_RADIUS_M,
            limit: 1,
            amenity_mask: 0,
            open_now: false,
            now: Utc::now(),
        });
        hits.first()
            .map(|h| (h.card.id, h.card.region_code.clone()))
    });
    let mut chain = match (&station, at) {
        (Some((_, code)), _) => chain_of(conn, code).await?,
        (None, Some(at)) => {
            let regions = region::Entity::find()
                .filter(region::Column::Lat.is_not_null())
                .all(conn)
                .await?;
            nearest_region(&regions, at)
        }
        (None, None) => Chain::default(),
    };
    if chain.city.is_none() {
        chain.city = fallback_city(conn, at).await?;
    }
    let city_code = chain
        .city
        .clone()
        .ok_or_else(|| DbErr::Custom("no city in the regions table".into()))?;
    Ok(Route {
        tier: tier_for(category, station.is_some(), &chain),
        station_id: station.map(|(id, _)| id),
        street_code: chain.street,
        district_code: chain.district,
        city_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(
        code: &str,
        level: &str,
        parent: Option<&str>,
        at: Option<(f64, f64, f64)>,
    ) -> region::Model {
        region::Model {
            code: code.into(),
            level: level.into(),
            parent_code: parent.map(str::to_string),
            name_zh: code.into(),
            name_en: None,
            lat: at.map(|a| a.0),
            lng: at.map(|a| a.1),
            radius_km: at.map(|a| a.2),
        }
    }

    fn chain(street: Option<&str>, district: Option<&str>) -> Chain {
        Chain {
            street: street.map(str::to_string),
            district: district.map(str::to_string),
            city: Some("3101".into()),
        }
    }

    #[test]
    fn tiers() {
        use HelpCategory::*;
        let full = chain(Some("310106013"), Some("310106"));
        assert_eq!(tier_for(Medical, true, &full), HelpTier::Station);
        assert_eq!(tier_for(Medical, false, &full), HelpTier::Street);
        assert_eq!(
            tier_for(Medical, false, &chain(None, Some("310106"))),
            HelpTier::District
        );
        assert_eq!(tier_for(Medical, false, &chain(None, None)), HelpTier::City);
        assert_eq!(tier_for(WageArrears, true, &full), HelpTier::District);
        assert_eq!(tier_for(HazardReport, false, &full), HelpTier::District);
        assert_eq!(tier_for(Housing, true, &chain(None, None)), HelpTier::City);
    }

    #[test]
    fn nearest_region_prefers_streets_then_districts_then_the_city() {
        let regions = vec![
            region("3101", "city", None, Some((31.2304, 121.4737, 40.0))),
            region(
                "310106",
                "district",
                Some("3101"),
                Some((31.2483, 121.4559, 5.0)),
            ),
            region(
                "310101",
                "district",
                Some("3101"),
                Some((31.2317, 121.4846, 4.0)),
            ),
            region(
                "310106013",
                "street",
                Some("310106"),
                Some((31.2235, 121.4452, 1.5)),
            ),
        ];
        let at = |lat, lng| LatLng { lat, lng };
        let c = nearest_region(&regions, at(31.2240, 121.4450));
        assert_eq!(c.street.as_deref(), Some("310106013"));
        assert_eq!(c.district.as_deref(), Some("310106"));
        assert_eq!(c.city.as_deref(), Some("3101"));
        // Near the Huangpu centre: no street close enough.
        let c = nearest_region(&regions, at(31.2320, 121.4850));
        assert_eq!((c.street, c.district.as_deref()), (None, Some("310101")));
        assert_eq!(c.city.as_deref(), Some("3101"));
        // Far out in the suburbs: the city only.
        let c = nearest_region(&regions, at(31.0, 121.2));
        assert_eq!((c.street, c.district), (None, None));
        assert_eq!(c.city.as_deref(), Some("3101"));
        // Beijing: nothing here.
        assert_eq!(nearest_region(&regions, at(39.9, 116.4)), Chain::default());
    }
}
