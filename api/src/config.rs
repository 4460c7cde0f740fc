//! Settings: defaults -> optional `warmnew.toml` -> environment, validated once at startup
//! and passed explicitly to whoever needs them (never a global).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::help::domain::{HelpCategory, HelpUrgency, Windows};
use crate::sms::settings::RawSmsSettings;
pub use crate::sms::settings::{SmsProvider, SmsSettings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Dev,
    Production,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub issuer: String,
    pub audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_days: i64,
    /// Argon2id cost (OWASP: m=19 MiB, t=2, p=1). Tests lower it.
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    /// Hashes computed at once (0 = one per core), and how long a login may wait for a slot
    /// before it is answered 503 + Retry-After: a login flood cannot take every core.
    pub argon2_max_concurrent: usize,
    pub argon2_queue_ms: u64,
    /// Failed logins allowed per phone, and attempts per client IP, in one window.
    pub login_max_failures_per_phone: u64,
    pub login_max_attempts_per_ip: u64,
    pub login_window_secs: u64,
    /// One-time codes (login by SMS, password reset): lifetime, wrong tries per code.
    pub code_ttl_secs: i64,
    pub code_max_attempts: i32,
    /// Codes sent per phone: at most one per `code_min_interval_secs`, `code_max_per_phone_hour`
    /// an hour; and per client address `code_max_per_ip_hour` an hour.
    pub code_min_interval_secs: u64,
    pub code_max_per_phone_hour: u64,
    pub code_max_per_ip_hour: u64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            issuer: "warmnew".into(),
            audience: "warmnew-api".into(),
            access_ttl_secs: 15 * 60,
            refresh_ttl_days: 30,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            argon2_max_concurrent: 0,
            argon2_queue_ms: 2000,
            login_max_failures_per_phone: 5,
            login_max_attempts_per_ip: 30,
            login_window_secs: 15 * 60,
            code_ttl_secs: 5 * 60,
            code_max_attempts: 5,
            code_min_interval_secs: 60,
            code_max_per_phone_hour: 5,
            code_max_per_ip_hour: 20,
        }
    }
}

/// Calls allowed per client address and hour, beside the per-account limits each feature keeps.
/// Generous: riders on one carrier's NAT or one station's Wi-Fi share an address.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressLimits {
    pub register_per_hour: u64,
    pub check_ins_per_hour: u64,
    pub redemption_codes_per_hour: u64,
    /// Help requests other than SOS (an SOS is never refused).
    pub help_requests_per_hour: u64,
}

impl Default for AddressLimits {
    fn default() -> Self {
        Self {
            register_per_hour: 30,
            check_ins_per_hour: 600,
            redemption_codes_per_hour: 300,
            help_requests_per_hour: 120,
        }
    }
}

impl AddressLimits {
    /// High enough that no test trips them unless it lowers one.
    pub fn for_tests() -> Self {
        Self {
            register_per_hour: 100_000,
            check_ins_per_hour: 100_000,
            redemption_codes_per_hour: 100_000,
            help_requests_per_hour: 100_000,
        }
    }
}

/// Minutes per urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrgencyMinutes {
    pub sos: i64,
    pub urgent: i64,
    pub normal: i64,
}

impl UrgencyMinutes {
    fn get(&self, urgency: HelpUrgency) -> i64 {
        match urgency {
            HelpUrgency::Sos => self.sos,
            HelpUrgency::Urgent => self.urgent,
            HelpUrgency::Normal => self.normal,
        }
    }
}

/// Some urgencies' minutes, overriding the defaults for one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MinutesOverride {
    pub sos: Option<i64>,
    pub urgent: Option<i64>,
    pub normal: Option<i64>,
}

impl MinutesOverride {
    fn get(&self, urgency: HelpUrgency) -> Option<i64> {
        match urgency {
            HelpUrgency::Sos => self.sos,
            HelpUrgency::Urgent => self.urgent,
            HelpUrgency::Normal => self.normal,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CategorySla {
    pub accept_minutes: MinutesOverride,
    pub resolve_minutes: MinutesOverride,
}

/// Help requests: SLA deadlines and the worker that escalates breaches. Env names look like
/// `WARMNEW_HELP__SLA_INTERVAL_MS` or `WARMNEW_HELP__CATEGORIES__MEDICAL__ACCEPT_MINUTES__NORMAL`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpSettings {
    /// How often each instance looks for breached deadlines.
    pub sla_interval_ms: u64,
    /// Time to accept (sos / urgent / normal).
    pub accept_minutes: UrgencyMinutes,
    /// Time to resolve, from submission (or reopening).
    pub resolve_minutes: UrgencyMinutes,
    /// Per-category overrides, keyed by category code.
    pub categories: BTreeMap<String, CategorySla>,
    /// Requests a rider may file per hour (SOS excepted: repeats fold into the open one).
    #[serde(default = "default_requests_per_hour")]
    pub max_requests_per_rider_per_hour: u64,
    /// Ended requests (closed, cancelled, rejected) unchanged this many days are anonymised.
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
    /// How often each instance runs the retention job (hourly).
    #[serde(default = "default_retention_interval_ms")]
    pub retention_interval_ms: u64,
}

fn default_retention_days() -> u32 {
    365
}

fn default_retention_interval_ms() -> u64 {
    3_600_000
}

fn default_requests_per_hour() -> u64 {
    10
}

impl Default for HelpSettings {
    fn default() -> Self {
        // A medical request at normal urgency should still not wait a day to be taken up.
        let medical = CategorySla {
            accept_minutes: MinutesOverride {
                urgent: Some(60),
                normal: Some(120),
                ..MinutesOverride::default()
            },
            ..CategorySla::default()
        };
        Self {
            sla_interval_ms: 30_000,
            accept_minutes: UrgencyMinutes {
                sos: 30,
                urgent: 120,
                normal: 24 * 60,
            },
            resolve_minutes: UrgencyMinutes {
                sos: 24 * 60,
                urgent: 3 * 24 * 60,
                normal: 7 * 24 * 60,
            },
            categories: BTreeMap::from([("medical".to_string(), medical)]),
            max_requests_per_rider_per_hour: default_requests_per_hour(),
            retention_days: default_retention_days(),
            retention_interval_ms: default_retention_interval_ms(),
        }
    }
}

impl HelpSettings {
    /// The deadlines for one category and urgency.
    pub fn windows(&self, category: HelpCategory, urgency: HelpUrgency) -> Windows {
        let o = self.categories.get(category.as_str());
        Windows {
            accept_minutes: o
                .and_then(|o| o.accept_minutes.get(urgency))
                .unwrap_or_else(|| self.accept_minutes.get(urgency)),
            resolve_minutes: o
                .and_then(|o| o.resolve_minutes.get(urgency))
                .unwrap_or_else(|| self.resolve_minutes.get(urgency)),
        }
    }

    fn validate(&self) -> Result<(), String> {
        if self.sla_interval_ms < 100 {
            return Err("WARMNEW_HELP__SLA_INTERVAL_MS must be at least 100".into());
        }
        // Ten years at most: longer is a typo, and keeps the date arithmetic far from overflow.
        if !(1..=3650).contains(&self.retention_days) {
            return Err("WARMNEW_HELP__RETENTION_DAYS must be between 1 and 3650".into());
        }
        if self.retention_interval_ms < 1_000 {
            return Err("WARMNEW_HELP__RETENTION_INTERVAL_MS must be at least 1000".into());
        }
        // Up to a year: anything longer is a typo, and keeps date arithmetic far from overflow.
        let ok = |m: i64| (1..=366 * 24 * 60).contains(&m);
        let all = |u: &UrgencyMinutes| [u.sos, u.urgent, u.normal].into_iter().all(ok);
        if !all(&self.accept_minutes) || !all(&self.resolve_minutes) {
            return Err("help SLA minutes must be between 1 and 527040".into());
        }
        for (code, o) in &self.categories {
            if HelpCategory::parse(code).is_none() {
                return Err(format!("help.categories: unknown category {code}"));
            }
            let given = [o.accept_minutes, o.resolve_minutes]
                .into_iter()
                .flat_map(|m| [m.sos, m.urgent, m.normal])
                .flatten();
            if !given.into_iter().all(ok) {
                return Err(format!(
                    "help.categories.{code}: minutes must be between 1 and 527040"
                ));
            }
        }
        Ok(())
    }
}

/// The file/env shape before validation; secrets may still be missing here.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    env: Environment,
    bind: String,
    database_url: Option<String>,
    redis_url: Option<String>,
    jwt_secret: Option<String>,
    /// The key tokens were signed with before the last rotation; still accepted.
    jwt_previous_secret: Option<String>,
    data_key: Option<String>,
    /// Unset: on in dev, off in production (demo accounts have a published password).
    demo_data: Option<bool>,
    /// Days of synthetic history (check-ins, services, help) in the demo data.
    demo_days: u32,
    data_dir: PathBuf,
    workers: usize,
    shutdown_grace_ms: u64,
    db_statement_timeout_ms: u64,
    db_acquire_timeout_ms: u64,
    http_client_request_timeout_ms: u64,
    http_client_disconnect_timeout_ms: u64,
    cache_prefix: String,
    log_format: String,
    trust_forwarded_for: bool,
    public_url: Option<String>,
    map_tile_url: Option<String>,
    map_attribution: Option<String>,
    station_poll_ms: u64,
    station_fallback_poll_ms: u64,
    station_snapshot: bool,
    events_ping_ms: u64,
    open311_api_keys: Vec<String>,
    auth: AuthSettings,
    help: HelpSettings,
    sms: RawSmsSettings,
    limits: AddressLimits,
}

impl Default for RawSettings {
    fn default() -> Self {
        Self {
            env: Environment::Dev,
            bind: "127.0.0.1:8080".into(),
            database_url: None,
            redis_url: None,
            jwt_secret: None,
            jwt_previous_secret: None,
            data_key: None,
            demo_data: None,
            demo_days: 90,
            data_dir: PathBuf::from("./data"),
            workers: 0,
            shutdown_grace_ms: 0,
            db_statement_timeout_ms: 15_000,
            db_acquire_timeout_ms: 5_000,
            http_client_request_timeout_ms: 5_000,
            http_client_disconnect_timeout_ms: 1_000,
            cache_prefix: "warmnew:".into(),
            log_format: "pretty".into(),
            trust_forwarded_for: false,
            public_url: None,
            map_tile_url: None,
            map_attribution: None,
            station_poll_ms: 5000,
            station_fallback_poll_ms: 1000,
            station_snapshot: true,
            events_ping_ms: 15_000,
            open311_api_keys: Vec::new(),
            auth: AuthSettings::default(),
            help: HelpSettings::default(),
            sms: RawSmsSettings::default(),
            limits: AddressLimits::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub env: Environment,
    pub bind: String,
    pub database_url: String,
    pub redis_url: Option<String>,
    /// HS256 key for access tokens.
    pub jwt_secret: SecretString,
    /// The previous HS256 key during a rotation: tokens it signed are accepted (they expire
    /// within one access-token lifetime); nothing new is signed with it.
    pub jwt_previous_secret: Option<SecretString>,
    /// Master key for personal data at rest (phone encryption and lookup hash).
    pub data_key: SecretString,
    pub demo_data: bool,
    /// Days of synthetic history in the demo data (0 = none).
    pub demo_days: u32,
    pub data_dir: PathBuf,
    /// 0 = one per core.
    pub workers: usize,
    /// How long /readyz reports "shutting down" before the listener closes.
    pub shutdown_grace_ms: u64,
    /// PostgreSQL `statement_timeout` for the server's pool (0 = none): a stuck query gives
    /// 503 instead of holding a connection and the rider's request.
    pub db_statement_timeout_ms: u64,
    /// How long a request waits for a pooled database connection: a dead or saturated
    /// database answers 503 after this instead of holding the rider.
    pub db_acquire_timeout_ms: u64,
    /// A client must send its request line and headers within this (slowloris); 0 = none.
    pub http_client_request_timeout_ms: u64,
    /// After the response, how long a closing connection may take to shut down; 0 = none.
    pub http_client_disconnect_timeout_ms: u64,
    /// Prefix of every cache key, so instances of different deployments (or tests) share a Redis.
    pub cache_prefix: String,
    /// "pretty" or "json".
    pub log_format: String,
    /// Take the client address from X-Forwarded-For (only behind a trusted load balancer).
    pub trust_forwarded_for: bool,
    /// The externally visible base URL (for QR codes); default: taken from the request.
    pub public_url: Option<String>,
    /// Leaflet tile URL template for the PWA's map; unset = no tiles.
    pub map_tile_url: Option<String>,
    pub map_attribution: Option<String>,
    /// How often each instance reads the database's station change feed while the Redis feed
    /// is live (a safety net for writers that did not publish).
    pub station_poll_ms: u64,
    /// ...and while it is not (no Redis, or Redis down): then this poll is what keeps
    /// instances in step.
    pub station_fallback_poll_ms: u64,
    /// Start from (and write) the station snapshot in Redis instead of reading every station.
    pub station_snapshot: bool,
    /// How often an open event stream (`GET /api/v1/events`) sends a keep-alive comment.
    pub events_ping_ms: u64,
    /// Keys that let Open311 clients read every request (`api_key`); none by default.
    pub open311_api_keys: Vec<SecretString>,
    pub auth: AuthSettings,
    pub help: HelpSettings,
    pub sms: SmsSettings,
    pub limits: AddressLimits,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration: {0}")]
    Invalid(String),
    #[error("configuration could not be read: {0}")]
    Source(#[from] Box<figment::Error>),
    #[error("could not prepare the data folder {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

const MIN_SECRET_LEN: usize = 32;

impl Settings {
    /// Loads settings for the running binary: defaults, then `warmnew.toml` if present, then env.
    pub fn load() -> Result<Self, ConfigError> {
        let raw: RawSettings = sources().extract().map_err(Box::new)?;
        Self::from_raw(raw)
    }

    fn from_raw(raw: RawSettings) -> Result<Self, ConfigError> {
        let production = raw.env == Environment::Production;
        let redis_url = raw.redis_url.filter(|u| !u.trim().is_empty());
        let database_url = match raw.database_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => url,
            None => {
                ensure_dir(&raw.data_dir)?;
                format!(
                    "sqlite://{}?mode=rwc",
                    raw.data_dir.join("warmnew.db").display()
                )
            }
        };
        if database_url.starts_with("sqlite:") {
            if let Some(parent) =
                sqlite_file(&database_url).and_then(|p| p.parent().map(Path::to_path_buf))
            {
                if !parent.as_os_str().is_empty() {
                    ensure_dir(&parent)?;
                }
            }
        }
        let (jwt_secret, data_key) = if production {
            (
                require_secret("WARMNEW_JWT_SECRET", raw.jwt_secret)?,
                require_secret("WARMNEW_DATA_KEY", raw.data_key)?,
            )
        } else {
            let dev = DevSecrets::load_or_create(&raw.data_dir)?;
            (
                raw.jwt_secret.unwrap_or(dev.jwt_secret),
                raw.data_key.unwrap_or(dev.data_key),
            )
        };
        let settings = Settings {
            env: raw.env,
            bind: raw.bind,
            database_url,
            redis_url,
            jwt_secret: SecretString::from(jwt_secret),
            jwt_previous_secret: raw
                .jwt_previous_secret
                .filter(|s| !s.is_empty())
                .map(SecretString::from),
            data_key: SecretString::from(data_key),
            demo_data: raw.demo_data.unwrap_or(!production),
            demo_days: raw.demo_days,
            data_dir: raw.data_dir,
            workers: raw.workers,
            shutdown_grace_ms: raw.shutdown_grace_ms,
            db_statement_timeout_ms: raw.db_statement_timeout_ms,
            db_acquire_timeout_ms: raw.db_acquire_timeout_ms,
            http_client_request_timeout_ms: raw.http_client_request_timeout_ms,
            http_client_disconnect_timeout_ms: raw.http_client_disconnect_timeout_ms,
            cache_prefix: raw.cache_prefix,
            log_format: raw.log_format,
            trust_forwarded_for: raw.trust_forwarded_for,
            public_url: raw.public_url.filter(|u| !u.trim().is_empty()),
            map_tile_url: raw.map_tile_url.filter(|u| !u.trim().is_empty()),
            map_attribution: raw.map_attribution,
            station_poll_ms: raw.station_poll_ms,
            station_fallback_poll_ms: raw.station_fallback_poll_ms,
            station_snapshot: raw.station_snapshot,
            events_ping_ms: raw.events_ping_ms,
            open311_api_keys: raw
                .open311_api_keys
                .into_iter()
                .map(SecretString::from)
                .collect(),
            auth: raw.auth,
            help: raw.help,
            sms: raw.sms.into(),
            limits: raw.limits,
        };
        settings.validate()?;
        Ok(settings)
    }

    /// Settings for tests and tools: in-memory SQLite, fixed secrets, no demo data, cheap hashing.
    pub fn for_tests() -> Self {
        Settings {
            env: Environment::Dev,
            bind: "127.0.0.1:0".into(),
            database_url: "sqlite::memory:".into(),
            redis_url: None,
            jwt_secret: SecretString::from("test-jwt-secret-that-is-long-enough-0123"),
            jwt_previous_secret: None,
            data_key: SecretString::from("test-data-key-that-is-long-enough-012345"),
            demo_data: false,
            demo_days: 0,
            data_dir: PathBuf::from("./data"),
            workers: 1,
            shutdown_grace_ms: 0,
            db_statement_timeout_ms: 15_000,
            db_acquire_timeout_ms: 5_000,
            http_client_request_timeout_ms: 5_000,
            http_client_disconnect_timeout_ms: 1_000,
            cache_prefix: "warmnew-test:".into(),
            log_format: "pretty".into(),
            trust_forwarded_for: false,
            public_url: None,
            map_tile_url: None,
            map_attribution: None,
            station_poll_ms: 5000,
            station_fallback_poll_ms: 1000,
            station_snapshot: true,
            events_ping_ms: 15_000,
            open311_api_keys: Vec::new(),
            auth: AuthSettings {
                argon2_memory_kib: 256,
                argon2_iterations: 1,
                ..AuthSettings::default()
            },
            // Tests file many requests per rider; the limit's own test sets it low.
            help: HelpSettings {
                max_requests_per_rider_per_hour: 10_000,
                ..HelpSettings::default()
            },
            sms: SmsSettings::default(),
            limits: AddressLimits::for_tests(),
        }
    }

    pub fn is_production(&self) -> bool {
        self.env == Environment::Production
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |m: &str| Err(ConfigError::Invalid(m.to_string()));
        if self.jwt_secret.expose_secret().len() < MIN_SECRET_LEN {
            return invalid("WARMNEW_JWT_SECRET must be at least 32 bytes");
        }
        if let Some(previous) = &self.jwt_previous_secret {
            if previous.expose_secret().len() < MIN_SECRET_LEN {
                return invalid("WARMNEW_JWT_PREVIOUS_SECRET must be at least 32 bytes");
            }
        }
        if self.data_key.expose_secret().len() < MIN_SECRET_LEN {
            return invalid("WARMNEW_DATA_KEY must be at least 32 bytes");
        }
        if self.demo_days > 366 {
            return invalid("WARMNEW_DEMO_DAYS must be at most 366");
        }
        if !(self.database_url.starts_with("sqlite:") || self.database_url.starts_with("postgres"))
        {
            return invalid("DATABASE_URL must be a sqlite: or postgres:// URL");
        }
        if self.auth.access_ttl_secs < 60 || self.auth.refresh_ttl_days < 1 {
            return invalid("auth token lifetimes are too short");
        }
        if !matches!(self.log_format.as_str(), "pretty" | "json") {
            return invalid("WARMNEW_LOG_FORMAT must be pretty or json");
        }
        self.help.validate().map_err(ConfigError::Invalid)?;
        self.sms
            .validate(self.is_production())
            .map_err(ConfigError::Invalid)?;
        if self.auth.code_ttl_secs < 60 || self.auth.code_max_attempts < 1 {
            return invalid("auth one-time codes need a lifetime of at least 60 s and one try");
        }
        if let Some(url) = &self.public_url {
            let ok = url.split_once("://").is_some_and(|(scheme, rest)| {
                crate::http::public_url::is_scheme(scheme)
                    && crate::http::public_url::is_host(rest.split('/').next().unwrap_or(""))
            });
            if !ok {
                return invalid("WARMNEW_PUBLIC_URL must look like https://stations.example.cn");
            }
        }
        if !(100..=60_000).contains(&self.db_acquire_timeout_ms) {
            return invalid("WARMNEW_DB_ACQUIRE_TIMEOUT_MS must be between 100 and 60000");
        }
        if self.events_ping_ms < 10 {
            return invalid("WARMNEW_EVENTS_PING_MS must be at least 10");
        }
        if self
            .open311_api_keys
            .iter()
            .any(|k| k.expose_secret().len() < 16)
        {
            return invalid("every WARMNEW_OPEN311_API_KEYS key must be at least 16 bytes");
        }
        Ok(())
    }
}

/// Defaults, then `warmnew.toml` if present, then the environment.
fn sources() -> Figment {
    Figment::from(Serialized::defaults(RawSettings::default()))
        .merge(Toml::file("warmnew.toml"))
        .merge(Env::raw().only(&["DATABASE_URL", "REDIS_URL"]))
        .merge(
            Env::prefixed("WARMNEW_")
                .split("__")
                .filter(|key| is_setting(key.as_str())),
        )
}

/// Only known names are taken from the environment: other `WARMNEW_*` variables (tooling's,
/// e.g. `WARMNEW_BIN`) must not stop the server, while typos in `warmnew.toml` still do.
fn is_setting(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    let top = lower.split('.').next().unwrap_or("");
    match serde_json::to_value(RawSettings::default()) {
        Ok(serde_json::Value::Object(map)) => map.contains_key(top),
        _ => false,
    }
}

fn require_secret(name: &str, value: Option<String>) -> Result<String, ConfigError> {
    match value {
        Some(v) if v.len() >= MIN_SECRET_LEN => Ok(v),
        Some(_) => Err(ConfigError::Invalid(format!(
            "{name} is shorter than {MIN_SECRET_LEN} bytes; refusing to start in production"
        ))),
        None => Err(ConfigError::Invalid(format!(
            "{name} is not set; production needs a random secret of at least {MIN_SECRET_LEN} bytes"
        ))),
    }
}

fn ensure_dir(dir: &Path) -> Result<(), ConfigError> {
    std::fs::create_dir_all(dir).map_err(|e| ConfigError::Io(dir.to_path_buf(), e))
}

fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// Dev-mode secrets, generated on first start and kept beside the dev database so tokens
/// and encrypted phones survive restarts.
#[derive(Serialize, Deserialize)]
struct DevSecrets {
    jwt_secret: String,
    data_key: String,
}

impl DevSecrets {
    fn load_or_create(dir: &Path) -> Result<Self, ConfigError> {
        let path = dir.join("dev-secrets.toml");
        if let Ok(text) = std::fs::read_to_string(&path) {
            if let Ok(secrets) = toml_from_str(&text) {
                #[cfg(unix)]
                make_private(&path);
                return Ok(secrets);
            }
        }
        ensure_dir(dir)?;
        let secrets = DevSecrets {
            jwt_secret: random_hex(32),
            data_key: random_hex(32),
        };
        let text = format!(
            "# Generated for dev mode. Production reads WARMNEW_JWT_SECRET and WARMNEW_DATA_KEY.\njwt_secret = \"{}\"\ndata_key = \"{}\"\n",
            secrets.jwt_secret, secrets.data_key
        );
        write_private(&path, &text).map_err(|e| ConfigError::Io(path.clone(), e))?;
        Ok(secrets)
    }
}

/// The dev keys sign tokens and decrypt phones: readable by the owner only, also when an older
/// version left the file world-readable.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(text.as_bytes())
}

#[cfg(unix)]
fn make_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
    }
}

fn toml_from_str(text: &str) -> Result<DevSecrets, Box<figment::Error>> {
    Figment::from(Toml::string(text))
        .extract()
        .map_err(Box::new)
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_refuses_missing_or_short_secret() {
        let raw = RawSettings {
            env: Environment::Production,
            database_url: Some("sqlite::memory:".into()),
            data_key: Some("k".repeat(32)),
            ..RawSettings::default()
        };
        let err = Settings::from_raw(raw.clone()).unwrap_err().to_string();
        assert!(err.contains("WARMNEW_JWT_SECRET is not set"), "{err}");
        let short = RawSettings {
            jwt_secret: Some("short".into()),
            ..raw.clone()
        };
        let err = Settings::from_raw(short).unwrap_err().to_string();
        assert!(err.contains("shorter than 32"), "{err}");
        let ok = RawSettings {
            jwt_secret: Some("s".repeat(32)),
            ..raw
        };
        let settings = Settings::from_raw(ok).unwrap();
        assert!(
            !settings.demo_data,
            "no published demo passwords in production unless asked"
        );
    }

    #[test]
    fn dev_generates_secrets_once_and_keeps_them() {
        let dir = std::env::temp_dir().join(format!("warmnew-cfg-{}", uuid::Uuid::now_v7()));
        let raw = RawSettings {
            data_dir: dir.clone(),
            ..RawSettings::default()
        };
        let a = Settings::from_raw(raw.clone()).unwrap();
        let b = Settings::from_raw(raw).unwrap();
        assert_eq!(a.jwt_secret.expose_secret(), b.jwt_secret.expose_secret());
        assert!(a.database_url.contains("warmnew.db"));
        assert!(dir.join("dev-secrets.toml").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.join("dev-secrets.toml");
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600, "dev keys readable by the owner only");
            // A file left world-readable by an older version is tightened on the next start.
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            Settings::from_raw(RawSettings {
                data_dir: dir.clone(),
                ..RawSettings::default()
            })
            .unwrap();
            assert_eq!(mode(&path), 0o600);
        }
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn only_known_env_names_are_settings() {
        assert!(is_setting("jwt_secret"));
        assert!(is_setting("auth.access_ttl_secs"));
        assert!(
            is_setting("BIND"),
            "figment hands over the raw (uppercase) name"
        );
        assert!(!is_setting("bin"));
    }

    #[test]
    fn help_settings_come_from_env_and_override_per_category() {
        assert!(is_setting("HELP.SLA_INTERVAL_MS"));
        // Names no other test sets: the environment is shared by the test threads.
        std::env::set_var("WARMNEW_HELP__SLA_INTERVAL_MS", "1234");
        std::env::set_var(
            "WARMNEW_HELP__CATEGORIES__HOUSING__RESOLVE_MINUTES__NORMAL",
            "600",
        );
        let raw: Result<RawSettings, _> = sources().extract();
        std::env::remove_var("WARMNEW_HELP__SLA_INTERVAL_MS");
        std::env::remove_var("WARMNEW_HELP__CATEGORIES__HOUSING__RESOLVE_MINUTES__NORMAL");
        let help = raw.unwrap().help;
        assert_eq!(help.sla_interval_ms, 1234);
        let w = help.windows(HelpCategory::Housing, HelpUrgency::Normal);
        assert_eq!((w.accept_minutes, w.resolve_minutes), (24 * 60, 600));
        // The built-in medical override survives a merge that names another category.
        let w = help.windows(HelpCategory::Medical, HelpUrgency::Normal);
        assert_eq!((w.accept_minutes, w.resolve_minutes), (120, 7 * 24 * 60));
        let w = help.windows(HelpCategory::Other, HelpUrgency::Sos);
        assert_eq!((w.accept_minutes, w.resolve_minutes), (30, 24 * 60));
        assert!(help.validate().is_ok());

        let mut bad = HelpSettings::default();
        bad.categories
            .insert("jacuzzi".into(), CategorySla::default());
        assert!(bad.validate().unwrap_err().contains("jacuzzi"));
        let mut bad = HelpSettings::default();
        bad.accept_minutes.sos = 0;
        assert!(bad.validate().is_err());
    }

    #[test]
    fn sqlite_file_paths() {
        assert_eq!(
            sqlite_file("sqlite://./data/x.db?mode=rwc"),
            Some(PathBuf::from("./data/x.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }
}
