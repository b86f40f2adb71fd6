use crate::components::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

/// Every unknown address: a real page, with the HTTP status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageTitle text=|i18n| t_string!(i18n, not_found.title) />
        <div class="content">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p>
                <a class="button button-primary" href="/">
                    {t!(i18n, not_found.home)}
                </a>
            </p>
        </div>
    }
}
