//! Builds the application: state, routes, middleware, server. Shared by `main` and the tests.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServerHandle, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Compress, Next};
use actix_web::{web, App, HttpServer};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::cache::Cache;
use crate::config::Settings;
use crate::http::catch_panic::catch_panic;
use crate::http::fallback::{default_service, RouteTable};
use crate::http::head::head_as_get;
use crate::http::request_id::{add_header, PrivateRootSpan};
use crate::state::AppState;
use crate::{
    analytics, audit, auth, db, help, holidays, lessons, openapi, ops, points, public_config,
    regions, seed, service_logs, stations, users,
};

/// Every documented route, registered once for the server and the OpenAPI document alike.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(
        scope::scope("/api/v1")
            .configure(auth::configure)
            .configure(users::configure)
            .configure(regions::configure)
            .configure(stations::configure)
            .configure(help::configure)
            .configure(holidays::configure)
            .configure(lessons::configure)
            .configure(points::configure)
            .configure(service_logs::configure)
            .configure(analytics::configure)
            .configure(audit::configure)
            .configure(public_config::configure),
    )
    .configure(help::configure_open311)
    .configure(ops::configure);
}

/// Everything the app needs that is built once per process, not once per worker.
#[derive(Clone)]
pub struct Shared {
    pub state: AppState,
    pub metrics: PrometheusMetrics,
    pub route_table: Arc<RouteTable>,
    pub spec: Arc<utoipa::openapi::OpenApi>,
}

impl Shared {
    fn security_headers(&self) -> actix_web::middleware::DefaultHeaders {
        let settings = &self.state.settings;
        let https = settings
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        crate::http::security_headers::headers(settings.map_tile_url.as_deref(), https)
    }

    pub fn new(state: AppState) -> Self {
        let spec = openapi::document();
        let route_table = Arc::new(RouteTable::from_openapi(&spec));
        // No `.endpoint()`: the middleware would swap its text into a response the compression
        // layer had already labelled gzip. `/metrics` is an ordinary route (ops).
        let metrics = PrometheusMetricsBuilder::new("warmnew")
            .mask_unmatched_patterns("UNMATCHED")
            .build()
            .expect("prometheus metrics registry");
        Self {
            state,
            metrics,
            route_table,
            spec: Arc::new(spec),
        }
    }
}

pub fn build_app(
    shared: Shared,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, _) = App::new()
        .into_utoipa_app()
        .app_data(web::Data::new(shared.state.clone()))
        .app_data(web::Data::from(shared.route_table.clone()))
        .app_data(web::Data::new(shared.metrics.registry.clone()))
        .app_data(crate::http::query_config())
        .app_data(crate::http::path_config())
        .configure(routes)
        .split_for_parts();
    app.service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", (*shared.spec).clone()))
        .service(web::redirect("/docs", "/docs/"))
        .default_service(web::to(default_service))
        // Innermost: sees the route matched and the status the handler (or extractor) gave.
        .wrap(from_fn(audit::middleware::record_denied))
        .wrap(from_fn(catch_panic))
        .wrap(from_fn(auth::header_guard::reject_bad_credentials))
        .wrap(from_fn(help::open311::errors::reshape))
        .wrap(Compress::default())
        .wrap(from_fn(head_as_get))
        .wrap(shared.security_headers())
        .wrap(shared.metrics.clone())
        .wrap(from_fn(request_id_header))
        .wrap(TracingLogger::<PrivateRootSpan>::new())
}

async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    next.call(req).await.map(add_header)
}

/// Connects, migrates, loads reference (and, if asked, demo) data.
pub async fn prepare(settings: Settings) -> anyhow::Result<AppState> {
    let limit = Duration::from_millis(settings.db_statement_timeout_ms);
    let acquire = Duration::from_millis(settings.db_acquire_timeout_ms);
    let database =
        db::connect_with_limits(&settings.database_url, None, Some(limit), acquire).await?;
    prepare_with(settings, database).await
}

pub async fn prepare_with(
    settings: Settings,
    database: DatabaseConnection,
) -> anyhow::Result<AppState> {
    db::migrate(&database).await?;
    regions::seed::load_builtin(&database).await?;
    lessons::store::load_builtin(&database).await?;
    holidays::store::load_builtin(&database).await?;
    let cache = Cache::new(settings.redis_url.as_deref(), &settings.cache_prefix)?;
    let demo = settings.demo_data;
    let state = AppState::new(database, cache, settings);
    if demo {
        seed::demo::seed_if_empty(&state).await?;
    }
    holidays::store::refresh_calendar(&state).await?;
    let started = std::time::Instant::now();
    let (source, n) = stations::feed::load_index(&state).await?;
    tracing::info!(
        stations = n,
        ?source,
        ms = started.elapsed().as_millis() as u64,
        "station index loaded"
    );
    stations::feed::spawn(&state);
    help::events::spawn(&state);
    help::sla::spawn(&state);
    help::retention::spawn(&state);
    analytics::rollup::spawn(&state);
    Ok(state)
}

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Binds the listener (port 0 picks a free one) and builds the server without running it.
    pub fn bind(state: AppState) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&state.settings.bind)?;
        let port = listener.local_addr()?.port();
        let shared = Shared::new(state.clone());
        let mut server = HttpServer::new(move || build_app(shared.clone()))
            .disable_signals()
            // A client that closes its side is gone: end its response (an event stream holds a
            // per-user slot) instead of waiting for the next write to fail.
            .h1_allow_half_closed(false)
            .shutdown_timeout(30)
            // Explicit, from settings: headers must arrive in time (slowloris), and a closing
            // connection is not held open (issue 13).
            .client_request_timeout(Duration::from_millis(
                state.settings.http_client_request_timeout_ms,
            ))
            .client_disconnect_timeout(Duration::from_millis(
                state.settings.http_client_disconnect_timeout_ms,
            ))
            .listen(listener)?;
        if state.settings.workers > 0 {
            server = server.workers(state.settings.workers);
        }
        Ok(Self {
            port,
            server: server.run(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            server: self.server.handle(),
            state: self.state.clone(),
        }
    }

    /// Runs until stopped; SIGTERM/SIGINT start a graceful shutdown.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.handle();
        let signals = tokio::spawn(async move {
            wait_for_signal().await;
            handle.shutdown().await;
        });
        let stopped = self.server.await;
        // Its handle holds the state: stopped some other way, the app must not live on in it.
        signals.abort();
        stopped
    }
}

#[derive(Clone)]
pub struct ShutdownHandle {
    server: ServerHandle,
    state: AppState,
}

impl ShutdownHandle {
    /// Readiness flips first, then (after the grace period) the listener closes and in-flight
    /// requests are allowed to finish.
    pub async fn shutdown(&self) {
        self.begin();
        self.finish().await;
    }

    /// Step one: /readyz answers 503 while requests are still served.
    pub fn begin(&self) {
        self.state.lifecycle.begin_shutdown();
        self.state.stop_background();
        tracing::info!("shutting down: readiness off, draining");
    }

    /// Step two: wait out the grace period, stop accepting, let in-flight requests finish.
    pub async fn finish(&self) {
        let grace = self.state.settings.shutdown_grace_ms;
        if grace > 0 {
            tokio::time::sleep(Duration::from_millis(grace)).await;
        }
        self.server.stop(true).await;
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {},
                    _ = tokio::signal::ctrl_c() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
