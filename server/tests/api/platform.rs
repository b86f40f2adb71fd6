use crate::helpers::{form, spawn_app, spawn_app_with, spawn_app_with_hashed_assets};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_are_present() {
    let app = spawn_app().await;
    for path in ["/", "/healthz", "/no-such-page"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "no HSTS over http"
        );
        assert!(
            headers.get("x-request-id").is_some(),
            "{path}: a request id"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_when_the_public_address_is_https() {
    let app = spawn_app_with(&[("BASE_URL", "https://espace.example.be")]).await;
    let response = app.get("/").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_given_request_id_is_kept() {
    let app = spawn_app().await;
    let response = app
        .get_with("/healthz", &[("x-request-id", "abc-123")])
        .await;
    assert_eq!(response.headers()["x-request-id"], "abc-123");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_and_readyz_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_turns_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.db.close().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the process itself is still up"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_ran_on_a_fresh_database() {
    let app = spawn_app().await;
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let expected = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(applied as usize, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_are_compressed() {
    let app = spawn_app().await;
    let response = app.get_with("/help", &[("accept-encoding", "gzip")]).await;
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let response = app.get_with("/help", &[("accept-encoding", "br")]).await;
    assert_eq!(response.headers()["content-encoding"], "br");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_sets_the_cookie() {
    let app = spawn_app().await;
    // As the hydrated page calls it.
    let response = app
        .client
        .post(app.url("/api/set_language"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("lang=nl")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=nl;"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_switch_redirects_back() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/set_language"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", app.url("/help"))
        .body("lang=en")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(response.headers()["location"], app.url("/help").as_str());
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("lang=en;"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_language_is_refused_and_sets_nothing() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/set_language"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("lang=de")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("set-cookie").is_none());

    let response = app
        .client
        .post(app.url("/api/set_language"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("nonsense")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error(), "{}", response.status());
    assert!(response.headers().get("set-cookie").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused() {
    // A small limit and a body small enough to be written whole before the server answers
    // (with megabytes, the server's early 413 can break the pipe under the client).
    let app = spawn_app_with(&[("BODY_LIMIT_BYTES", "2048")]).await;
    let response = app
        .client
        .post(app.url("/api/set_language"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("lang=nl&pad={}", "x".repeat(16 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(response.headers().get("set-cookie").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashed_assets_are_cached_for_a_year_and_compressed() {
    let app = spawn_app_with_hashed_assets().await;
    let response = app
        .get_with("/pkg/espace.test.css", &[("accept-encoding", "br")])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unhashed_assets_are_revalidated() {
    let app = spawn_app().await;
    let response = app.get("/pkg/espace.test.css").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert_eq!(app.get("/pkg/missing.js").await.status(), 404);
}

async fn post_language(
    app: &crate::helpers::TestApp,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/api/set_language"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("lang=nl");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    for headers in [
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ][..],
        &[
            ("sec-fetch-site", "same-site"),
            ("origin", "https://sub.example.be"),
        ][..],
        &[("origin", "https://evil.example")][..],
    ] {
        let response = post_language(&app, headers).await;
        assert_eq!(response.status(), 403, "{headers:?}");
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{headers:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_origin_posts_pass() {
    let app = spawn_app().await;
    let origin = app.address.clone();
    for headers in [
        &[
            ("sec-fetch-site", "same-origin"),
            ("origin", origin.as_str()),
        ][..],
        &[("origin", origin.as_str())][..],
        &[][..],
    ] {
        let response = post_language(&app, headers).await;
        assert_eq!(response.status(), 200, "{headers:?}");
        assert!(response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("lang=nl;"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_by_route_for_this_machine_only() {
    let app = spawn_app_with(&[("TRUST_PROXY", "127.0.0.1")]).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/help").await.status(), 200);
    assert_eq!(app.get("/no-such-page/12345").await.status(), 404);
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status(), 200);
    assert!(metrics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let body = metrics.text().await.unwrap();
    assert!(
        body.contains(r#"http_requests_total{method="GET",route="/help",status="200"}"#),
        "{body}"
    );
    assert!(body.contains(r#"route="unmatched",status="404""#), "{body}");
    assert!(!body.contains("12345"), "raw paths are never labels");
    assert!(
        body.contains("http_request_duration_seconds_bucket"),
        "{body}"
    );
    assert!(body.contains("outbox_pending"), "{body}");
    assert!(body.contains("sessions_open"), "{body}");
    // From elsewhere (a proxy says so): not found.
    let remote = app
        .get_with("/metrics", &[("x-forwarded-for", "203.0.113.9")])
        .await;
    assert_eq!(remote.status(), 404);
    // Through a proxy on this very machine, even for a loopback client: the proxy would
    // forward anyone, so without a token nothing that came through it is answered.
    for header in [
        ("x-forwarded-for", "127.0.0.1"),
        ("forwarded", "for=127.0.0.1"),
    ] {
        let proxied = app.get_with("/metrics", &[header]).await;
        assert_eq!(proxied.status(), 404, "{header:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_token_metrics_ask_for_it() {
    let token = "a metrics token of some length";
    let app = spawn_app_with(&[("METRICS_TOKEN", token)]).await;
    assert_eq!(app.get("/metrics").await.status(), 404);
    let wrong = app
        .get_with(
            "/metrics",
            &[("authorization", "Bearer not the token at all")],
        )
        .await;
    assert_eq!(wrong.status(), 404);
    let right = app
        .get_with("/metrics", &[("authorization", &format!("Bearer {token}"))])
        .await;
    assert_eq!(right.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_function_error_has_its_status_whatever_the_encoding_asked() {
    let app = spawn_app().await;
    for encoding in ["identity", "gzip", "br"] {
        let r = app
            .client
            .post(app.url("/api/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept-encoding", encoding)
            .body(form(&[
                ("email", "personne@example.be"),
                ("password", "pas le bon mot de passe"),
            ]))
            .send()
            .await
            .unwrap();
        // A wrong password is a refused form (400), whatever the body's encoding.
        assert_eq!(r.status(), 400, "{encoding}");
    }
}
