//! The in-process test server: real HTTP on a free port, SQLite in memory by default, or a
//! private PostgreSQL schema and Redis key prefix when TEST_DATABASE_URL / TEST_REDIS_URL are set.

use std::time::Duration;

use reqwest::{Client, Method, Response};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use uuid::Uuid;
use warmnew::cache::Cache;
use warmnew::config::Settings;
use warmnew::startup::{self, Application, ShutdownHandle};
use warmnew::state::AppState;

pub const PASSWORD: &str = "ride-safe-2026";

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub state: AppState,
    pub handle: ShutdownHandle,
    _db: TestDb,
    _keep_alive: Option<sea_orm::sqlx::SqliteConnection>,
}

/// Which backends this run uses (printed in failures to make them easy to place).
pub fn backend() -> &'static str {
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        "postgres"
    } else {
        "sqlite"
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        warmnew::telemetry::init("pretty");
    }
    let mut settings = Settings::for_tests();
    settings.cache_prefix = format!("test-{}:", Uuid::now_v7().simple());
    if let Ok(url) = std::env::var("TEST_REDIS_URL") {
        settings.redis_url = Some(url);
    }
    adjust(&mut settings);
    let db = TestDb::create().await;
    let conn = match &db.schema {
        Some(schema) => warmnew::db::connect_with_schema(&db.url, Some(schema)).await,
        None => warmnew::db::connect(&db.url).await,
    }
    .expect("connect test database");
    // `sqlite::memory:` lives only while a connection to it is open. sqlx closes a pooled
    // connection whose query was cancelled (e.g. a handler's token lookup dropped because its
    // body extractor failed first); with a single pooled connection that would silently swap in
    // an empty database. A second connection to the same shared in-memory database keeps it.
    let keep_alive = match db.schema {
        Some(_) => None,
        None => {
            use sea_orm::sqlx::Connection;
            let options = conn.get_sqlite_connection_pool().connect_options();
            Some(
                sea_orm::sqlx::SqliteConnection::connect_with(&options)
                    .await
                    .expect("keep-alive connection"),
            )
        }
    };
    launch(settings, conn, db, keep_alive).await
}

/// Prepares and starts the app on an open database connection.
async fn launch(
    settings: Settings,
    conn: sea_orm::DatabaseConnection,
    db: TestDb,
    keep_alive: Option<sea_orm::sqlx::SqliteConnection>,
) -> TestApp {
    let state = startup::prepare_with(settings, conn)
        .await
        .expect("prepare app");
    if let Cache::Redis(redis) = &state.cache {
        let wants_live =
            state.settings.redis_url.as_deref() == std::env::var("TEST_REDIS_URL").ok().as_deref();
        if wants_live {
            assert!(
                redis.wait_connected(Duration::from_secs(3)).await,
                "TEST_REDIS_URL is set but Redis did not answer"
            );
        }
    }
    let app = Application::bind(state.clone()).expect("bind");
    let base = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        base,
        client,
        state,
        handle,
        _db: db,
        _keep_alive: keep_alive,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::DELETE, path, token, None).await
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request")
    }

    /// Sends a raw body with the given content type.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// Registers a rider with a fresh phone; returns (phone, token response).
    pub async fn register_rider(&self) -> (String, Value) {
        let phone = random_phone();
        let res = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({"phone": phone, "password": PASSWORD, "display_name": "测试骑手"}),
            )
            .await;
        assert_eq!(res.status(), 201, "register on {}", backend());
        (phone, res.json().await.unwrap())
    }

    /// Creates a user of any role directly, then logs in; returns the token response.
    pub async fn user_with_role(&self, role: warmnew::auth::Role, region: Option<&str>) -> Value {
        use warmnew::auth::{password::Password, phone::Phone, service};
        let phone = random_phone();
        let new = service::NewUser {
            phone: Phone::parse(&phone).unwrap(),
            password: Password::parse(PASSWORD, None).unwrap(),
            display_name: format!("{role} user"),
            role,
            station_id: None,
            region_code: region.map(str::to_string),
        };
        service::create_user(&self.state, new)
            .await
            .expect("create user");
        self.login(&phone, PASSWORD).await.json().await.unwrap()
    }

    pub async fn login(&self, phone: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({"phone": phone, "password": password}),
        )
        .await
    }

    pub async fn register(&self, body: Value) -> Response {
        self.post("/api/v1/auth/register", None, body).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh_token}),
        )
        .await
    }

    /// Rows in the users table (each test has its own database, so this starts at 0).
    pub async fn user_count(&self) -> u64 {
        warmnew::entity::user::Entity::find()
            .count(&self.state.db)
            .await
            .expect("count users")
    }

    /// The stored row for a phone number, found the way the app finds it (keyed hash).
    pub async fn user_row(&self, phone: &str) -> Option<warmnew::entity::user::Model> {
        use warmnew::entity::user;
        let parsed = warmnew::auth::phone::Phone::parse(phone).expect("valid phone");
        let hash = self.state.phones.lookup_hash(&parsed);
        user::Entity::find()
            .filter(user::Column::PhoneHash.eq(hash))
            .one(&self.state.db)
            .await
            .expect("query users")
    }
}

/// A body for POST /auth/register with a fresh phone.
pub fn register_body(phone: &str) -> Value {
    json!({"phone": phone, "password": PASSWORD, "display_name": "测试骑手"})
}

pub fn refresh_token(v: &Value) -> &str {
    v["refresh_token"].as_str().expect("refresh_token")
}

/// The `field` of every entry in a validation problem's `errors`, sorted.
pub fn error_fields(problem: &Value) -> Vec<String> {
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors array in {problem}"))
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_string())
        .collect();
    fields.sort();
    fields
}

/// The `code` of the field error for `field`.
pub fn error_code<'a>(problem: &'a Value, field: &str) -> &'a str {
    problem["errors"]
        .as_array()
        .and_then(|errs| errs.iter().find(|e| e["field"] == field))
        .and_then(|e| e["code"].as_str())
        .unwrap_or_else(|| panic!("no error for {field} in {problem}"))
}

pub fn header(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii header").to_string())
}

/// The HS256 secret the test app signs access tokens with.
pub fn test_jwt_secret() -> String {
    Settings::for_tests().jwt_secret.expose_secret().to_string()
}

/// Signs arbitrary claims with HS256 and the given secret, naming the key as the app does.
pub fn mint(claims: &Value, secret: &[u8]) -> String {
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(warmnew::auth::jwt::key_id(secret));
    encode(&header, claims, &EncodingKey::from_secret(secret)).expect("sign token")
}

/// Claims the app would issue for this user, valid for ten minutes from now.
pub fn claims_for(user: &Value) -> Value {
    let now = chrono::Utc::now().timestamp();
    let auth = Settings::for_tests().auth;
    json!({
        "sub": user["id"], "iss": auth.issuer, "aud": auth.audience,
        "iat": now, "exp": now + 600, "role": user["role"], "token_version": 0,
    })
}

pub fn random_phone() -> String {
    let n = Uuid::new_v4().as_u128() % 100_000_000;
    format!("139{n:08}")
}

/// Asserts a problem+json response with the given status and code; returns the body.
pub async fn assert_problem(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status().as_u16(), status, "status on {}", backend());
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert_eq!(ct, "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], code, "body: {body}");
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["detail"].is_string() && body["type"].is_string());
    body
}

/// Asserts an Open311 error answer (`[{code, description}]` as JSON, with `code` the status);
/// returns the descriptions.
pub async fn assert_open311_error(res: Response, status: u16) -> Vec<String> {
    assert_eq!(res.status().as_u16(), status, "status on {}", backend());
    let ct = header(&res, "content-type").unwrap_or_default();
    assert!(ct.starts_with("application/json"), "{ct}");
    let body: Value = res.json().await.unwrap();
    let errors = body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {body}"));
    assert!(!errors.is_empty(), "{body}");
    errors
        .iter()
        .map(|e| {
            assert_eq!(e["code"], status, "{body}");
            let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["code", "description"], "{body}");
            e["description"].as_str().expect("description").to_string()
        })
        .collect()
}

/// The fields an Open311 error names (`field: message`), sorted.
pub fn open311_fields(descriptions: &[String]) -> Vec<String> {
    let mut fields: Vec<String> = descriptions
        .iter()
        .filter_map(|d| d.split_once(": ").map(|(f, _)| f.to_string()))
        .collect();
    fields.sort();
    fields
}

pub fn token(v: &Value) -> &str {
    v["access_token"].as_str().expect("access_token")
}

/// One database per test: SQLite in memory, or a PostgreSQL schema dropped afterwards.
struct TestDb {
    url: String,
    schema: Option<String>,
}

impl TestDb {
    async fn create() -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Err(_) => TestDb {
                url: "sqlite::memory:".into(),
                schema: None,
            },
            Ok(url) => {
                let schema = format!("t_{}", Uuid::now_v7().simple());
                let admin = Database::connect(&url)
                    .await
                    .expect("connect TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .expect("create schema");
                admin.close().await.ok();
                TestDb {
                    url,
                    schema: Some(schema),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(schema) = self.schema.take() else {
            return;
        };
        let url = self.url.clone();
        // Drop cannot be async; a short-lived runtime on its own thread does the cleanup.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok(admin) = Database::connect(&url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

// ---------------------------------------------------------------------------------------------
// Stations

/// An admin as the service layer sees one (for seeding through `warmnew::stations::service`).
pub fn admin_user() -> warmnew::auth::AuthUser {
    warmnew::auth::AuthUser {
        id: Uuid::now_v7(),
        role: warmnew::auth::Role::Admin,
        station_id: None,
        region_code: None,
    }
}

/// A valid create body near People's Square, 24/7, in 静安区.
pub fn station_body(name: &str, lat: f64, lng: f64) -> Value {
    json!({
        "name": name,
        "address": format!("{name} 门口"),
        "lat": lat,
        "lng": lng,
        "region_code": "310106",
        "opening_hours": "24/7",
        "amenities": ["drinking_water"],
        "capacity": 12,
    })
}

impl TestApp {
    /// A fresh admin's access token.
    pub async fn admin_token(&self) -> String {
        token(&self.user_with_role(warmnew::auth::Role::Admin, None).await).to_string()
    }

    /// A fresh operator of `station_id`; returns the access token.
    pub async fn operator_of(&self, station_id: &str) -> String {
        use warmnew::auth::{password::Password, phone::Phone, service};
        let phone = random_phone();
        let new = service::NewUser {
            phone: Phone::parse(&phone).unwrap(),
            password: Password::parse(PASSWORD, None).unwrap(),
            display_name: "驿站管理员".into(),
            role: warmnew::auth::Role::Operator,
            station_id: Some(station_id.parse().expect("station id")),
            region_code: None,
        };
        service::create_user(&self.state, new)
            .await
            .expect("create operator");
        let body: Value = self.login(&phone, PASSWORD).await.json().await.unwrap();
        token(&body).to_string()
    }

    /// A fresh rider's access token.
    pub async fn rider_token(&self) -> String {
        token(&self.register_rider().await.1).to_string()
    }

    /// POST /stations as `admin`, asserting 201; returns the created station.
    pub async fn create_station(&self, admin: &str, body: Value) -> Value {
        let res = self.post("/api/v1/stations", Some(admin), body).await;
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 201, "create station on {}: {body}", backend());
        body
    }

    /// GET /stations/{id}, asserting 200.
    pub async fn station(&self, id: &str) -> Value {
        let res = self.get(&format!("/api/v1/stations/{id}"), None).await;
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 200, "station detail on {}: {body}", backend());
        body
    }

    /// GET /stations/nearby?{query}, asserting 200; returns the items.
    pub async fn nearby(&self, query: &str) -> Vec<Value> {
        let res = self
            .get(&format!("/api/v1/stations/nearby?{query}"), None)
            .await;
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 200, "nearby?{query} on {}: {body}", backend());
        body["items"].as_array().expect("items").clone()
    }

    /// Rows in the stations table.
    pub async fn station_count(&self) -> u64 {
        warmnew::entity::station::Entity::find()
            .count(&self.state.db)
            .await
            .expect("count stations")
    }

    /// The stored station row.
    pub async fn station_row(&self, id: &str) -> warmnew::entity::station::Model {
        warmnew::entity::station::Entity::find_by_id(id.parse::<Uuid>().expect("uuid"))
            .one(&self.state.db)
            .await
            .expect("query stations")
            .expect("station row")
    }

    /// Rows in the check_ins table.
    pub async fn check_in_count(&self) -> u64 {
        warmnew::entity::check_in::Entity::find()
            .count(&self.state.db)
            .await
            .expect("count check-ins")
    }
}

/// The ids of nearby items, in order.
pub fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect()
}

/// An RFC 3339 timestamp field as UTC.
pub fn ts(v: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a time: {v}")))
        .unwrap_or_else(|e| panic!("{v}: {e}"))
        .with_timezone(&chrono::Utc)
}

// ---------------------------------------------------------------------------------------------
// Several instances

impl TestApp {
    /// Another instance of the app on this one's database and Redis prefix (so they share the
    /// change feed), with its own index, in-process cache and server. `adjust` starts from the
    /// test settings with this app's Redis URL and prefix.
    pub async fn spawn_peer(&self, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = Settings::for_tests();
        settings.cache_prefix = self.state.settings.cache_prefix.clone();
        settings.redis_url = self.state.settings.redis_url.clone();
        adjust(&mut settings);
        let conn = match &self._db.schema {
            Some(schema) => warmnew::db::connect_with_schema(&self._db.url, Some(schema))
                .await
                .expect("connect peer database"),
            None => {
                // The same named in-memory database (shared cache), through a pool of its own.
                let options = self.state.db.get_sqlite_connection_pool().connect_options();
                let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .connect_with((*options).clone())
                    .await
                    .expect("connect peer database");
                sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
            }
        };
        // The first app owns the database and cleans it up.
        let db = TestDb {
            url: self._db.url.clone(),
            schema: None,
        };
        launch(settings, conn, db, None).await
    }
}
