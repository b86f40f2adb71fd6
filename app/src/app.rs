//! The document shell and the application: layout, routes.
use crate::components::{LanguageSwitch, SiteFooter, UserMenu};
use crate::i18n::*;
use crate::language::{LANG_COOKIE, LANG_COOKIE_MAX_AGE};
use crate::pages::{
    AccessibilityPage, BackofficeDisputesPage, BackofficeLettersPage, BackofficePage,
    BackofficeRequestPage, BackofficeVerificationsPage, CataloguePage, CheckEmailPage,
    DashboardPage, FilingPage, ForgotPasswordPage, HelpPage, HomePage, IdentificationPage,
    LoginPage, MyDataPage, MyOrganisationsPage, NotFound, NotificationsPage,
    OrganisationContactPage, OrganisationMembersPage, OrganisationVerificationPage,
    PreferencesPage, ProfilePage, ProfilesPage, RegisterPage, ReportPage, RequestPage,
    ResetPasswordPage, SecurityPage, TermsPage, VerifyEmailPage, WizardDetailsPage,
    WizardFunctionPage, WizardRequestPage, WizardStartPage,
};
use leptos::lazy;
use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

/// The whole HTML document, rendered on the server for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    let cookie_options = CookieOptions::<Locale>::default()
        .path("/")
        .max_age(LANG_COOKIE_MAX_AGE * 1000)
        .same_site(leptos_use::SameSite::Lax);
    // On the server the cookie is only read. Its writer is an effect that can run after the
    // response of its own request has gone, and then wrote `lang=…` into whichever response
    // was current (seen: a French user's page switching to Dutch). The cookie is written by
    // the server functions that change the language, and by the browser.
    #[cfg(feature = "ssr")]
    let cookie_options = cookie_options.ssr_set_cookie(|_: &cookie::Cookie<'_>| {});

    view! {
        <I18nContextProvider
            cookie_name=LANG_COOKIE
            cookie_options
            ssr_lang_header_getter=lang_header_getter()
        >
            <Layout />
        </I18nContextProvider>
    }
}

/// On the server, what the language falls back to when no cookie says otherwise.
fn lang_header_getter() -> leptos_use::UseLocalesOptions {
    #[cfg(feature = "ssr")]
    {
        leptos_use::UseLocalesOptions::default().ssr_lang_header_getter(|| {
            crate::api::language::fallback_lang_for_request().map(|lang| lang.code().to_string())
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos_use::UseLocalesOptions::default()
    }
}

#[component]
fn Layout() -> impl IntoView {
    let i18n = use_i18n();
    // The server writes <title> after rendering, outside the request's reactive arena: it
    // gets plain text. In the browser the title follows a change of language.
    #[cfg(feature = "ssr")]
    let formatter = {
        let site_name = t_string!(i18n, site.name);
        move |page: String| format!("{page} — {site_name}")
    };
    #[cfg(not(feature = "ssr"))]
    let formatter = move |page: String| format!("{page} — {}", t_string!(i18n, site.name));
    provide_context(crate::components::NotificationsChanged(RwSignal::new(0)));
    provide_context(crate::components::ProfileChanged(RwSignal::new(0)));
    view! {
        <Title formatter />
        <Router>
            <a class="skip-link" href="#main">
                {t!(i18n, site.skip_to_content)}
            </a>
            <header class="site-header">
                <div class="header-inner">
                    <A href="/" attr:class="brand">
                        <span class="brand-commune">{t!(i18n, site.commune)}</span>
                        <span class="brand-name">{t!(i18n, site.name)}</span>
                    </A>
                    <div class="header-tools">
                        <LanguageSwitch />
                        <UserMenu />
                    </div>
                </div>
            </header>
            // Async rendering: every page arrives complete, so it works without JavaScript.
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/help") view={Lazy::<HelpRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/terms") view={Lazy::<TermsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/accessibility") view={Lazy::<AccessibilityRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/register/check-email") view={Lazy::<CheckEmailRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/verify-email") view={Lazy::<VerifyEmailRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/reset-password") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/profile") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/security") view={Lazy::<SecurityRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/preferences") view={Lazy::<PreferencesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/organisations") view={Lazy::<MyOrganisationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/data") view={Lazy::<MyDataRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/procedures") view={Lazy::<CatalogueRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/identification") view={Lazy::<IdentificationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/procedures/:code") view={Lazy::<FilingRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/requests/:reference") view={Lazy::<RequestRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/backoffice") view={Lazy::<BackofficeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/backoffice/requests/:reference") view={Lazy::<BackofficeRequestRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/backoffice/verifications") view={Lazy::<BackofficeVerificationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/backoffice/letters") view={Lazy::<BackofficeLettersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/backoffice/disputes") view={Lazy::<BackofficeDisputesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/profiles/:kind") view={Lazy::<ProfilesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new") view={Lazy::<WizardStartRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new/details") view={Lazy::<WizardDetailsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new/function") view={Lazy::<WizardFunctionRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new/request") view={Lazy::<WizardRequestRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisations/report") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisations/:id/contact") view={Lazy::<OrganisationContactRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisations/:id/members") view={Lazy::<OrganisationMembersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisations/:id/verification") view={Lazy::<OrganisationVerificationRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}

// Every page but the home page is lazy: `cargo leptos build --split` puts the code of each
// area of the site in a WASM chunk of its own (code shared by several areas in shared chunks),
// which the browser loads only when a page of that area is shown. The server names the
// chunks of the page it renders in that page, so they arrive with the first load. The main
// WASM carries the shell (header, menus, footer) and the home page.
//
// One split point per area rather than per page: the pages of an area share most of their
// code, and fewer, larger chunks mean fewer requests on a slow network.
macro_rules! lazy_area {
    ($area:ident, $preload:ident, $pages:ident { $($route:ident => $page:ident),* $(,)? }) => {
        // The variants are named after the routes (they all end in "Route").
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $pages {
            $($route),*
        }

        #[lazy]
        fn $area(page: $pages) -> AnyView {
            match page {
                $($pages::$route => view! { <$page /> }.into_any()),*
            }
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    $area($pages::$route).await
                }

                async fn preload() {
                    // Hydration waits for the area's chunk before it hydrates the page.
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

lazy_area!(public_area, __preload_public_area, PublicPage {
    HelpRoute => HelpPage,
    TermsRoute => TermsPage,
    AccessibilityRoute => AccessibilityPage,
    RegisterRoute => RegisterPage,
    CheckEmailRoute => CheckEmailPage,
    LoginRoute => LoginPage,
    VerifyEmailRoute => VerifyEmailPage,
    ForgotPasswordRoute => ForgotPasswordPage,
    ResetPasswordRoute => ResetPasswordPage,
    IdentificationRoute => IdentificationPage,
});

lazy_area!(account_area, __preload_account_area, AccountPage {
    ProfileRoute => ProfilePage,
    SecurityRoute => SecurityPage,
    PreferencesRoute => PreferencesPage,
    MyOrganisationsRoute => MyOrganisationsPage,
    MyDataRoute => MyDataPage,
    NotificationsRoute => NotificationsPage,
});

lazy_area!(organisation_area, __preload_organisation_area, OrganisationPage {
    ProfilesRoute => ProfilesPage,
    WizardStartRoute => WizardStartPage,
    WizardDetailsRoute => WizardDetailsPage,
    WizardFunctionRoute => WizardFunctionPage,
    WizardRequestRoute => WizardRequestPage,
    OrganisationContactRoute => OrganisationContactPage,
    OrganisationMembersRoute => OrganisationMembersPage,
    OrganisationVerificationRoute => OrganisationVerificationPage,
    ReportRoute => ReportPage,
});

// The dashboard, the page people open most, alone: its first load does not carry the forms
// of the filing.
lazy_area!(dashboard_area, __preload_dashboard_area, DashboardPages {
    DashboardRoute => DashboardPage,
});

lazy_area!(requests_area, __preload_requests_area, RequestsPage {
    RequestRoute => RequestPage,
    CatalogueRoute => CataloguePage,
    FilingRoute => FilingPage,
});

lazy_area!(backoffice_area, __preload_backoffice_area, BackofficePages {
    BackofficeRoute => BackofficePage,
    BackofficeRequestRoute => BackofficeRequestPage,
    BackofficeVerificationsRoute => BackofficeVerificationsPage,
    BackofficeLettersRoute => BackofficeLettersPage,
    BackofficeDisputesRoute => BackofficeDisputesPage,
});
