//! Shared application state handed to every handler.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use tokio::sync::watch;

use crate::auth::jwt::JwtKeys;
use crate::auth::phone::{derive_key, PhoneCrypto};
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
    /// Key redemption codes are hashed under (see `points::codes::hash`).
    pub redeem_key: Arc<[u8; 32]>,
    pub lifecycle: Arc<Lifecycle>,
    /// This instance's in-process nearby index.
    pub stations: Arc<StationIndex>,
    /// How that index keeps in step with the other instances.
    pub feed: Arc<FeedState>,
    /// Live help-request events for this instance's open streams.
    pub events: Arc<EventHub>,
    /// The public holidays `PH` is evaluated against (shipped years until the database is read).
    pub holidays: Arc<crate::holidays::Calendar>,
    /// Delivers one-time login / password-reset codes (chosen from `settings.sms`).
    pub sms: Arc<dyn crate::sms::SmsSender>,
    /// Bounds the argon2 work running at once (logins, registrations, resets).
    pub passwords: Arc<crate::auth::password::HashingSlots>,
    /// Background tasks end when this is dropped (with the last handle outside them) or set.
    stop: Arc<watch::Sender<bool>>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, cache: Cache, settings: Settings) -> Self {
        let jwt = JwtKeys::new(
            settings.jwt_secret.expose_secret().as_bytes(),
            settings
                .jwt_previous_secret
                .as_ref()
                .map(|s| s.expose_secret().as_bytes()),
            &settings.auth,
        );
        let phones = PhoneCrypto::new(settings.data_key.expose_secret().as_bytes());
        let redeem_key = derive_key(
            settings.data_key.expose_secret().as_bytes(),
            crate::points::codes::KEY_LABEL,
        );
        let sms = crate::sms::from_settings(&settings);
        let passwords = Arc::new(crate::auth::password::HashingSlots::new(&settings.auth));
        Self {
            passwords,
            db,
            cache,
            sms,
            settings: Arc::new(settings),
            jwt: Arc::new(jwt),
            phones: Arc::new(phones),
            redeem_key: Arc::new(redeem_key),
            lifecycle: Arc::new(Lifecycle::default()),
            stations: Arc::new(StationIndex::default()),
            feed: Arc::new(FeedState::default()),
            events: Arc::new(EventHub::default()),
            holidays: Arc::new(crate::holidays::Calendar::default()),
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

    /// The signal that ends background work, for work that needs no detached state (e.g. an
    /// open event stream).
    pub fn stop_signal(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// Whether a background task holding `stop` should end: told to, the app's own handles are
    /// gone, or shutdown began.
    pub fn background_should_stop(&self, stop: &watch::Receiver<bool>) -> bool {
        stop_signalled(stop) || self.lifecycle.is_shutting_down()
    }

    /// Ends the background tasks now (shutdown).
    pub fn stop_background(&self) {
        self.stop.send_replace(true);
    }
}

/// Whether `stop` was sent or its sender dropped (a closed channel means the app's own handles
/// are gone).
pub fn stop_signalled(stop: &watch::Receiver<bool>) -> bool {
    *stop.borrow() || stop.has_changed().is_err()
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
