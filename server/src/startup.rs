//! Builds the application: binds first (so port 0 works in tests), then serves until
//! SIGTERM or Ctrl-C, finishing the requests in flight.
use crate::config::Settings;
use crate::db::{self, Db, DbError};
use crate::health;
use crate::mail::{ConfiguredMailer, FileMailer, SmtpMailer};
use crate::security::{self, CspNonce, SecurityOptions};
use crate::state::AppState;
use app::{shell, App};
use axum::http::{header, HeaderValue, Request};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen on {addr} (LISTEN_ADDR): {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot set up e-mail (SMTP_URL): {0}")]
    Mail(#[from] crate::mail::MailError),
    #[error("bad procedure definition (PROCEDURES_DIR): {0}")]
    Procedures(String),
    #[error("cannot set up the attachment storage (DATA_DIR or S3_*): {0}")]
    Storage(String),
    #[error("cannot set up the eID identification (EID_ISSUER_URL): {0}")]
    Eid(String),
}

/// The mailer of the configuration: SMTP, or `.eml` files under the data directory.
fn mailer(settings: &Settings) -> Result<ConfiguredMailer, crate::mail::MailError> {
    let domain = settings.mail_from.email.domain().to_string();
    Ok(match &settings.smtp_url {
        Some(url) => ConfiguredMailer::Smtp(SmtpMailer::from_url(
            url,
            settings.mail_from.clone(),
            domain,
        )?),
        None => ConfiguredMailer::Files(FileMailer {
            dir: settings.data_dir.join("mail"),
            from: settings.mail_from.clone(),
            domain,
        }),
    })
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    db: Db,
    mailer: ConfiguredMailer,
    outbox_interval: Option<Duration>,
    link_key: app::backend::LinkKey,
    retention: app::backend::retention::Retention,
    header_timeout: Duration,
    server_config: app::backend::ServerConfig,
    storage: crate::storage::Storage,
}

impl Application {
    pub async fn build(
        settings: Settings,
        leptos_options: LeptosOptions,
    ) -> Result<Self, StartupError> {
        let catalogue = app::procedures::Catalogue::load_dir(&settings.procedures_dir)
            .map_err(StartupError::Procedures)?;
        tracing::info!(
            procedures = catalogue.all().len(),
            "procedure definitions loaded"
        );
        let storage = crate::storage::Storage::from_settings(&settings.storage)
            .map_err(StartupError::Storage)?;
        tracing::info!(storage = ?settings.storage, "attachment storage");
        let worker_storage = storage.clone();
        let eid = match &settings.eid {
            Some(eid) => Some(
                crate::eid::Eid::new(eid.clone(), &settings.base_url).map_err(StartupError::Eid)?,
            ),
            None => None,
        };
        crate::metrics::install();
        if let Some(eid) = eid.clone() {
            tokio::spawn(async move { eid.prefetch().await });
        }
        let db = db::connect_and_migrate(&settings.database_url).await?;
        app::backend::limit_password_hashing(
            usize::try_from(settings.password_hashing_slots).unwrap_or(usize::MAX),
            Duration::from_millis(settings.password_hashing_wait_ms),
        );
        let mailer = mailer(&settings)?;
        let outbox_interval = (settings.outbox_interval_seconds > 0)
            .then(|| Duration::from_secs(settings.outbox_interval_seconds));
        let listener = TcpListener::bind(settings.listen_addr)
            .await
            .map_err(|source| StartupError::Bind {
                addr: settings.listen_addr,
                source,
            })?;
        let server_config = settings.server_config(Arc::new(catalogue));
        let link_key = server_config.link_key.clone();
        let retention = settings.retention();
        let header_timeout = Duration::from_secs(settings.header_read_timeout_seconds);
        let state = AppState {
            leptos_options,
            db: db.clone(),
            server_config: server_config.clone(),
            storage,
            eid,
            settings: Arc::new(settings),
        };
        Ok(Application {
            listener,
            router: router(state),
            db,
            mailer,
            outbox_interval,
            link_key,
            retention,
            header_timeout,
            server_config,
            storage: worker_storage,
        })
    }

    /// What the server functions know of the configuration.
    pub fn server_config(&self) -> app::backend::ServerConfig {
        self.server_config.clone()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has a local address")
    }

    pub fn db(&self) -> Db {
        self.db.clone()
    }

    /// Serves until SIGTERM or Ctrl-C.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` resolves (tests pass one that never does: no signal handler).
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let addr = self.local_addr();
        let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
        let worker = self.outbox_interval.map(|interval| {
            let worker = crate::outbox::Worker {
                db: self.db.clone(),
                mailer: self.mailer.clone(),
                link_key: self.link_key.clone(),
                interval,
                retention: self.retention,
                config: self.server_config.clone(),
                storage: self.storage.clone(),
            };
            tokio::spawn(worker.run(worker_stopped))
        });
        tracing::info!("espace personnel listening on http://{addr}");
        crate::serve::serve(self.listener, self.router, self.header_timeout, shutdown).await;
        // Let the worker finish the e-mail it may be sending.
        let _ = stop_worker.send(true);
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        self.db.close().await;
        tracing::info!("espace personnel stopped");
        Ok(())
    }
}

/// Resolves on SIGTERM (what a service manager sends) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received: finishing the requests in flight");
}

/// Contexts every server-rendered page and server function gets.
fn leptos_context(
    db: Db,
    config: app::backend::ServerConfig,
    storage: crate::storage::Storage,
) -> impl Fn() + Clone + Send + Sync + 'static {
    let deleter = app::backend::AttachmentDeleter(Arc::new(move |key: String| {
        let storage = storage.clone();
        tokio::spawn(async move {
            if let Err(error) = storage.delete(&key).await {
                tracing::warn!(%error, %key, "cannot delete an attachment's file");
            }
        });
    }));
    move || {
        provide_context(db.clone());
        provide_context(config.clone());
        provide_context(deleter.clone());
        if let Some(parts) = use_context::<axum::http::request::Parts>() {
            // The nonce of the Content-Security-Policy header this response will carry.
            if let Some(CspNonce(nonce)) = parts.extensions.get::<CspNonce>() {
                provide_context::<Nonce>(nonce.clone());
            }
            // The signed-in person is read from `Parts` (app::backend::signed_in_user), not
            // provided as a context of its own: see there why.
        }
    }
}

/// Refuses state-changing requests (POST, PUT, PATCH, DELETE, server functions included)
/// that the browser says come from another site (`Sec-Fetch-Site`), or whose `Origin` is
/// neither the public address nor the requested host. Safe methods always pass: nothing
/// changes state on GET.
fn csrf_layer(base_url: &url::Url) -> tower_http::csrf::CsrfLayer {
    let layer = tower_http::csrf::CsrfLayer::new();
    let origin = base_url.origin().ascii_serialization();
    match layer.clone().add_trusted_origin(&origin) {
        Ok(with_origin) => with_origin,
        Err(error) => {
            // BASE_URL was validated at start (http or https, with a host): cannot happen.
            tracing::warn!(%error, %origin, "BASE_URL is not usable as a trusted origin");
            layer
        }
    }
}

/// The whole router, as the binary and the HTTP tests use it.
pub fn router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = generate_route_list(App);
    let context = leptos_context(
        state.db.clone(),
        state.server_config.clone(),
        state.storage.clone(),
    );
    let sessions = crate::sessions::SessionState {
        db: state.db.clone(),
        config: state.server_config.clone(),
        proxies: state.settings.trusted_proxies.clone(),
    };

    // Hashed file names never change content: cache them for a year. Without hashes
    // (development builds) the browser revalidates every time.
    let pkg_cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let pkg_dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );

    let security = SecurityOptions {
        hsts: state.settings.is_https(),
        eid: state.eid.clone(),
    };
    let body_limit = state.settings.body_limit_bytes;
    let csrf = csrf_layer(&state.settings.base_url);

    // The routes that take files have a body limit of their own (the others keep
    // BODY_LIMIT_BYTES, applied below to them only).
    let uploads = Router::new()
        .route("/procedures/{code}/file", post(crate::filing::file))
        .route(
            "/requests/{reference}/documents",
            post(crate::filing::answer),
        )
        .route(
            "/organisations/{id}/verification/proof",
            post(crate::mandates::submit),
        )
        .route("/organisations/report/send", post(crate::mandates::report))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::filing::UPLOAD_LIMIT_BYTES,
        ))
        .layer(RequestBodyLimitLayer::new(
            crate::filing::UPLOAD_LIMIT_BYTES,
        ))
        .layer(axum::middleware::from_fn_with_state(
            crate::uploads::UploadSlots::new(state.settings.upload_slots),
            crate::uploads::limit,
        ))
        .with_state(state.clone());

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route(crate::metrics::PATH, get(crate::metrics::render))
        .route(crate::export::PATH, get(crate::export::download))
        .route(crate::export::ZIP_PATH, get(crate::export::download_zip))
        .route("/dashboard/export.xlsx", get(crate::xlsx::export))
        .route("/auth/eid/start", post(crate::eid::start))
        .route(crate::eid::CALLBACK_PATH, get(crate::eid::callback))
        .route(
            "/requests/{reference}/attachments/{id}",
            get(crate::filing::download),
        )
        .route(
            "/requests/{reference}/receipt.pdf",
            get(crate::receipt::download),
        )
        .route(
            "/backoffice/requests/{reference}/attachments/{id}",
            get(crate::filing::agent_download),
        )
        .route(
            "/backoffice/verifications/{id}/file",
            get(crate::mandates::file),
        )
        .route(
            "/backoffice/disputes/{id}/file",
            get(crate::mandates::dispute_file),
        )
        .route("/backoffice/letters.pdf", post(crate::letters::print))
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .merge(uploads)
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn(crate::telemetry::vet_request_id))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request<_>| {
                            let request_id = request
                                .extensions()
                                .get::<RequestId>()
                                .and_then(|id| id.header_value().to_str().ok())
                                .unwrap_or("-");
                            tracing::info_span!(
                                "request",
                                request_id = %request_id,
                                method = %request.method(),
                                path = %request.uri().path(),
                            )
                        })
                        .on_response(
                            tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                        ),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(axum::middleware::from_fn(crate::metrics::track))
                .layer(CatchPanicLayer::new())
                .layer(axum::middleware::from_fn_with_state(
                    security,
                    security::security_headers,
                ))
                .layer(csrf)
                .layer(axum::middleware::from_fn_with_state(
                    sessions,
                    crate::sessions::load_session,
                ))
                .layer(CompressionLayer::new())
                // Inside the compression: it reads the error bodies as the server functions
                // wrote them.
                .layer(axum::middleware::from_fn(
                    crate::server_fns::errors_answer_with_their_status,
                ))
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                )),
        )
}
