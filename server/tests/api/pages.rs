use crate::helpers::spawn_app;

fn html_lang(body: &str) -> Option<&str> {
    let start = body.find("<html")?;
    let tag = &body[start..start + body[start..].find('>')?];
    let lang_at = tag.find("lang=\"")? + 6;
    let rest = &tag[lang_at..];
    Some(&rest[..rest.find('"')?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_is_french_by_default() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let body = response.text().await.unwrap();
    assert_eq!(html_lang(&body), Some("fr"));
    assert!(body.contains("Votre espace personnel"), "{body}");
    assert!(body.contains("Se connecter"));
    assert!(body.contains("Créer un compte"));
    assert!(body.contains("href=\"/help\""));
    assert!(body.contains("href=\"/terms\""));
    assert!(body.contains("href=\"/accessibility\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_follows_accept_language() {
    let app = spawn_app().await;
    let body = app
        .get_with("/", &[("accept-language", "nl-BE,nl;q=0.9,fr;q=0.8")])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html_lang(&body), Some("nl"));
    assert!(body.contains("Uw persoonlijke ruimte"), "{body}");
    assert!(body.contains("Aanmelden"));
    assert!(!body.contains("Se connecter"));

    let body = app
        .get_with("/", &[("accept-language", "de-DE,en;q=0.7")])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html_lang(&body), Some("en"));
    assert!(body.contains("Your personal space"));

    let body = app
        .get_with("/", &[("accept-language", "de-DE,es;q=0.7")])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        html_lang(&body),
        Some("fr"),
        "an unsupported language falls back to French"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_cookie_wins_over_accept_language() {
    let app = spawn_app().await;
    let body = app
        .get_with("/", &[("accept-language", "en"), ("cookie", "lang=nl")])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html_lang(&body), Some("nl"));
    assert!(body.contains("Uw persoonlijke ruimte"));

    let body = app
        .get_with("/", &[("accept-language", "nl"), ("cookie", "lang=fr")])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html_lang(&body), Some("fr"));
    assert!(body.contains("Votre espace personnel"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_language_cookie_is_ignored() {
    let app = spawn_app().await;
    let response = app
        .get_with("/", &[("accept-language", "nl"), ("cookie", "lang=xx")])
        .await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert_eq!(html_lang(&body), Some("nl"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_footer_pages_exist_in_both_languages() {
    let app = spawn_app().await;
    for (path, fr, nl) in [
        (
            "/help",
            "Qu'est-ce qu'un espace personnel ?",
            "Wat is een persoonlijke ruimte?",
        ),
        (
            "/terms",
            "Conditions générales d'accès",
            "Algemene toegangsvoorwaarden",
        ),
        (
            "/accessibility",
            "Déclaration d'accessibilité",
            "Toegankelijkheidsverklaring",
        ),
    ] {
        let response = app.get_with(path, &[("cookie", "lang=fr")]).await;
        assert_eq!(response.status(), 200, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains(fr), "{path} in French: {body}");
        let body = app
            .get_with(path, &[("cookie", "lang=nl")])
            .await
            .text()
            .await
            .unwrap();
        assert!(body.contains(nl), "{path} in Dutch");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_is_a_real_404() {
    let app = spawn_app().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let body = response.text().await.unwrap();
    assert!(body.contains("Page introuvable"), "{body}");
    assert!(body.contains("Retour à l'accueil"));

    let response = app.get_with("/nope", &[("accept-language", "nl")]).await;
    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Pagina niet gevonden"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_csp_nonce_matching_their_scripts() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let body = response.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    // Every inline script with content carries the nonce.
    for script in body.split("<script").skip(1) {
        let tag_end = script.find('>').unwrap();
        let content_end = script.find("</script>").unwrap();
        let has_content = !script[tag_end + 1..content_end].trim().is_empty();
        if has_content {
            assert!(
                script[..tag_end].contains(&format!("nonce=\"{nonce}\"")),
                "<script{}",
                &script[..tag_end]
            );
        }
    }
    let other = app.get("/").await.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(csp, other, "a fresh nonce for every response");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pages_keep_their_own_language() {
    use crate::helpers::*;
    let app = spawn_app_with(NO_WORKER).await;
    let mut tasks = Vec::new();
    for (lang, email) in [
        ("fr", "fr@example.be"),
        ("nl", "nl@example.be"),
        ("en", "en@example.be"),
    ] {
        register(&app, &registration(email, &[])).await;
        confirm_address(&app, email).await;
        let session = session_cookie(&login(&app, email, PASSWORD, None).await).unwrap();
        let client = app.client.clone();
        let base = app.address.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..40 {
                let path = [
                    "/account/security",
                    "/dashboard",
                    "/help",
                    "/account/profile",
                ][i % 4];
                let page = client
                    .get(format!("{base}{path}"))
                    .header("cookie", format!("lang={lang}; {session}"))
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                assert!(
                    page.contains(&format!("<html lang=\"{lang}\"")),
                    "{path} asked in {lang} came in another language"
                );
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rendering_a_page_never_writes_the_language_cookie() {
    // Only the language switch and "Mes informations" write `lang`: the cookie writer of the
    // i18n library ran after its response was gone and wrote into other requests' responses.
    let app = crate::helpers::spawn_app().await;
    for (path, cookie) in [
        ("/help", "lang=nl"),
        ("/", ""),
        ("/login", "lang=en"),
        ("/no/such/page", "lang=nl"),
    ] {
        let response = app.get_with(path, &[("cookie", cookie)]).await;
        let writes: Vec<_> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter(|v| v.starts_with("lang="))
            .map(str::to_string)
            .collect();
        assert!(writes.is_empty(), "{path} wrote {writes:?}");
    }
}

/// Every route of the app is in exactly one of the two lists of `app::access`, and the server
/// does what the list says: a signed-out visitor of a page that needs an account is sent to
/// /login, and a public page answers. A new route that nobody classified fails here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_is_public_or_needs_sign_in_and_the_server_enforces_it() {
    let app = spawn_app().await;
    let routes = leptos_axum::generate_route_list(app::App);
    assert!(routes.len() >= 30, "the route list: {}", routes.len());
    for route in routes {
        // A path to visit: every parameter (`{code}`) replaced by a value.
        let path = route
            .path()
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "x"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let path = if path.is_empty() {
            "/".to_string()
        } else {
            path
        };
        let public = app::access::PUBLIC.contains(&path.as_str());
        let signed_in = app::access::needs_sign_in(&path);
        assert!(
            public != signed_in,
            "{path} must be in exactly one list of app::access (public: {public}, signed in: {signed_in})"
        );
        let response = app.get(&path).await;
        if signed_in {
            assert_eq!(response.status(), 303, "{path}");
            let asked: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
            assert_eq!(
                response.headers()["location"],
                format!("/login?next={asked}").as_str(),
                "{path}"
            );
        } else {
            assert_eq!(response.status(), 200, "{path}");
        }
    }
}
