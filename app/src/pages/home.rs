use crate::components::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let deleted = move || query.read().get("account_deleted").as_deref() == Some("1");
    view! {
        <PageTitle text=|i18n| t_string!(i18n, home.title) />
        <div class="content">
            {move || deleted().then(|| view! {
                <div class="notice notice-success" role="status">
                    <p>{t!(i18n, data.deleted)}</p>
                </div>
            })}
            <h1>{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, home.lead)}</p>
            <h2>{t!(i18n, home.what_title)}</h2>
            <ul class="feature-list">
                <li>{t!(i18n, home.what_profiles)}</li>
                <li>{t!(i18n, home.what_requests)}</li>
                <li>{t!(i18n, home.what_dashboard)}</li>
            </ul>
            <section class="start" aria-labelledby="start-title">
                <h2 id="start-title">{t!(i18n, home.start_title)}</h2>
                <p>{t!(i18n, home.start_text)}</p>
                <div class="button-group">
                    <a class="button button-primary" href="/login">
                        {t!(i18n, home.login)}
                    </a>
                    <a class="button button-secondary" href="/register">
                        {t!(i18n, home.register)}
                    </a>
                </div>
            </section>
            <p>
                <A href="/help">{t!(i18n, home.first_visit)}</A>
            </p>
        </div>
    }
}
