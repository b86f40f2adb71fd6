//! The document shell and the application: layout, routes.
use crate::components::{LanguageSwitch, SiteFooter, UserMenu};
use crate::i18n::*;
use crate::language::{LANG_COOKIE, LANG_COOKIE_MAX_AGE};
use crate::pages::{
    AccessibilityPage, BackofficeDisputesPage, BackofficeLettersPage, BackofficePage,
    BackofficeRequestPage, BackofficeVerificationsPage, CataloguePage, CheckEmailPage, CheckPage,
    DashboardPage, FilingPage, ForgotPasswordPage, HelpPage, HomePage, IdentificationPage,
    LoginPage, MyDataPage, MyOrganisationsPage, NotFound, NotificationsPage,
    OrganisationContactPage, OrganisationMembersPage, OrganisationVerificationPage,
    PreferencesPage, ProfilePage, ProfilesPage, RegisterPage, ReportPage, RequestPage,
    ResetPasswordPage, SecurityPage, TermsPage, VerifyEmailPage, WizardDetailsPage,
    WizardFunctionPage, WizardRequestPage, WizardStartPage,
};
use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

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
                <HydrationScripts options islands=true />
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
                    <Route path=path!("/help") view=HelpPage ssr=SsrMode::Async />
                    <Route path=path!("/terms") view=TermsPage ssr=SsrMode::Async />
                    <Route path=path!("/accessibility") view=AccessibilityPage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/register/check-email") view=CheckEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/account/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/account/security") view=SecurityPage ssr=SsrMode::Async />
                    <Route path=path!("/account/preferences") view=PreferencesPage ssr=SsrMode::Async />
                    <Route path=path!("/account/organisations") view=MyOrganisationsPage ssr=SsrMode::Async />
                    <Route path=path!("/account/data") view=MyDataPage ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/procedures") view=CataloguePage ssr=SsrMode::Async />
                    <Route path=path!("/identification") view=IdentificationPage ssr=SsrMode::Async />
                    <Route path=path!("/procedures/:code") view=FilingPage ssr=SsrMode::Async />
                    <Route path=path!("/procedures/:code/check") view=CheckPage ssr=SsrMode::Async />
                    <Route path=path!("/requests/:reference") view=RequestPage ssr=SsrMode::Async />
                    <Route path=path!("/backoffice") view=BackofficePage ssr=SsrMode::Async />
                    <Route path=path!("/backoffice/requests/:reference") view=BackofficeRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/backoffice/verifications") view=BackofficeVerificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/backoffice/letters") view=BackofficeLettersPage ssr=SsrMode::Async />
                    <Route path=path!("/backoffice/disputes") view=BackofficeDisputesPage ssr=SsrMode::Async />
                    <Route path=path!("/profiles/:kind") view=ProfilesPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new") view=WizardStartPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new/details") view=WizardDetailsPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new/function") view=WizardFunctionPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/new/request") view=WizardRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/report") view=ReportPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/:id/contact") view=OrganisationContactPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/:id/members") view=OrganisationMembersPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/:id/verification") view=OrganisationVerificationPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
