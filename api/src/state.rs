//! Shared application state handed to every handler.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use tokio::sync::watch;

use crate::auth::jwt::JwtKeys;
use crate::auth::phone::PhoneCrypto;
use crate::cache::Cache;
use crate::config::Settings;
use crate::help::events::EventHub;
use crate::stations::feed::FeedState;
use crate::stations::StationIndex;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub cache: Cache,
    pub settings: Arc<Settings>,
    pub jwt: Arc<JwtKeys>,
    pub phones: Arc<PhoneCrypto>,
    pub lifecycle: Arc<Lifecycle>,
    /// This instance's in-process nearby index.
    pub stations: Arc<StationIndex>,
    /// How that index keeps in step with the other instances.
    pub feed: Arc<FeedState>,
    /// Live help-request events for this instance's open streams.
    pub events: Arc<EventHub>,
    /// Background tasks end when this is dropped (with the last handle outside them) or set.
    stop: Arc<watch::Sender<bool>>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, cache: Cache, settings: Settings) -> Self {
        let jwt = JwtKeys::new(
            settings.jwt_secret.expose_secret().as_bytes(),
            &settings.auth,
        );
        let phones = PhoneCrypto::new(settings.data_key.expose_secret().as_bytes());
        Self {
            db,
            cache,
            settings: Arc::new(settings),
            jwt: Arc::new(jwt),
            phones: Arc::new(phones),
            lifecycle: Arc::new(Lifecycle::default()),
            stations: Arc::new(StationIndex::default()),
            feed: Arc::new(FeedState::default()),
            events: Arc::new(EventHub::default()),
            stop: Arc::new(watch::channel(false).0),
        }
    }

    /// A handle for a background task, and the signal that ends it. The handle does not keep
    /// the signal open, so the task ends once the app's own handles are gone.
    pub fn for_background(&self) -> (AppState, watch::Receiver<bool>) {
        let stop = self.stop.subscribe();
        let detached = AppState {
            stop: Arc::new(watch::channel(false).0),
            ..self.clone()
        };
        (detached, stop)
    }

    /// Ends the background tasks now (shutdown).
    pub fn stop_background(&self) {
        self.stop.send_replace(true);
    }
}

/// Readiness flips to "shutting down" before the listener closes, so load balancers drain first.
#[derive(Default)]
pub struct Lifecycle {
    shutting_down: AtomicBool,
}

impl Lifecycle {
    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
}
