//! The in-process spatial index of station cards. Points live on a 3-D sphere (ECEF on a
//! spherical Earth) so the R-tree's nearest-neighbour order is exactly great-circle order:
//! nearby can stop after `limit` matches and still be sorted by true distance.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use uuid::Uuid;

use super::card::Card;
use super::domain::{LatLng, EARTH_RADIUS_M};

type Point = GeomWithData<[f64; 3], Uuid>;

fn xyz(at: LatLng) -> [f64; 3] {
    let (lat, lng) = (at.lat.to_radians(), at.lng.to_radians());
    [
        EARTH_RADIUS_M * lat.cos() * lng.cos(),
        EARTH_RADIUS_M * lat.cos() * lng.sin(),
        EARTH_RADIUS_M * lat.sin(),
    ]
}

/// Chord length -> great-circle distance.
fn arc_from_chord(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord / (2.0 * EARTH_RADIUS_M)).min(1.0).asin()
}

fn chord_from_arc(arc: f64) -> f64 {
    2.0 * EARTH_RADIUS_M
        * (arc / (2.0 * EARTH_RADIUS_M))
            .min(std::f64::consts::FRAC_PI_2)
            .sin()
}

#[derive(Default)]
struct Inner {
    tree: RTree<Point>,
    cards: HashMap<Uuid, Arc<Card>>,
}

/// What nearby looks for.
pub struct Query {
    pub at: LatLng,
    pub radius_m: f64,
    pub limit: usize,
    pub amenity_mask: u32,
    pub open_now: bool,
    pub now: DateTime<Utc>,
}

pub struct Hit {
    pub card: Arc<Card>,
    pub distance_m: f64,
}

#[derive(Default)]
pub struct StationIndex {
    inner: RwLock<Inner>,
    /// The last change-feed sequence number applied.
    seq: AtomicI64,
}

impl StationIndex {
    /// Replaces the whole index (startup, or a resync after missed changes).
    pub fn replace_all(&self, cards: Vec<Card>, seq: i64) {
        let points: Vec<Point> = cards.iter().map(|c| Point::new(xyz(c.at), c.id)).collect();
        let cards = cards.into_iter().map(|c| (c.id, Arc::new(c))).collect();
        let fresh = Inner {
            tree: RTree::bulk_load(points),
            cards,
        };
        if let Ok(mut inner) = self.inner.write() {
            *inner = fresh;
        }
        self.seq.store(seq, Ordering::SeqCst);
    }

    /// Inserts, replaces or (with `None`) removes one station.
    pub fn upsert(&self, id: Uuid, card: Option<Card>) {
        let Ok(mut inner) = self.inner.write() else {
            return;
        };
        if let Some(old) = inner.cards.remove(&id) {
            inner.tree.remove(&Point::new(xyz(old.at), id));
        }
        if let Some(card) = card {
            inner.tree.insert(Point::new(xyz(card.at), id));
            inner.cards.insert(id, Arc::new(card));
        }
    }

    pub fn seq(&self) -> i64 {
        self.seq.load(Ordering::SeqCst)
    }

    /// Raises the applied sequence number (never lowers it).
    pub fn advance_seq(&self, seq: i64) {
        self.seq.fetch_max(seq, Ordering::SeqCst);
    }

    pub fn len(&self) -> usize {
        self.inner.read().map(|i| i.cards.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, id: &Uuid) -> Option<Arc<Card>> {
        self.inner.read().ok()?.cards.get(id).cloned()
    }

    /// Stations within the radius matching every filter, nearest first, at most `limit`.
    pub fn nearby(&self, q: &Query) -> Vec<Hit> {
        let Ok(inner) = self.inner.read() else {
            return Vec::new();
        };
        let max_chord = chord_from_arc(q.radius_m);
        let max_d2 = max_chord * max_chord;
        let mut hits = Vec::with_capacity(q.limit.min(64));
        for (point, d2) in inner.tree.nearest_neighbor_iter_with_distance_2(&xyz(q.at)) {
            if d2 > max_d2 || hits.len() >= q.limit {
                break;
            }
            let Some(card) = inner.cards.get(&point.data) else {
                continue;
            };
            if card.amenity_mask & q.amenity_mask != q.amenity_mask {
                continue;
            }
            if q.open_now && !card.open_now(card.hours_state(q.now)) {
                continue;
            }
            hits.push(Hit {
                card: card.clone(),
                distance_m: arc_from_chord(d2.sqrt()),
            });
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stations::domain::haversine_m;

    #[test]
    fn chord_and_arc_agree_with_haversine() {
        let a = LatLng {
            lat: 31.2304,
            lng: 121.4737,
        };
        let b = LatLng {
            lat: 31.1,
            lng: 121.6,
        };
        let [x1, y1, z1] = xyz(a);
        let [x2, y2, z2] = xyz(b);
        let chord = ((x1 - x2).powi(2) + (y1 - y2).powi(2) + (z1 - z2).powi(2)).sqrt();
        let arc = arc_from_chord(chord);
        assert!((arc - haversine_m(a, b)).abs() < 0.01, "{arc}");
        assert!((chord_from_arc(arc) - chord).abs() < 1e-6);
    }
}
