use crate::components::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn TermsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|i18n| t_string!(i18n, terms.title) />
        <div class="content">
            <h1>{t!(i18n, terms.title)}</h1>
            <p class="meta">{t!(i18n, terms.updated)}</p>
            <h2>{t!(i18n, terms.object_title)}</h2>
            <p>{t!(i18n, terms.object_body)}</p>
            <h2>{t!(i18n, terms.account_title)}</h2>
            <p>{t!(i18n, terms.account_body)}</p>
            <h2>{t!(i18n, terms.organisation_title)}</h2>
            <p>{t!(i18n, terms.organisation_body)}</p>
            <h2>{t!(i18n, terms.requests_title)}</h2>
            <p>{t!(i18n, terms.requests_body)}</p>
            <h2>{t!(i18n, terms.data_title)}</h2>
            <p>{t!(i18n, terms.data_body)}</p>
            <h2>{t!(i18n, terms.cookies_title)}</h2>
            <p>{t!(i18n, terms.cookies_body)}</p>
            <h2>{t!(i18n, terms.availability_title)}</h2>
            <p>{t!(i18n, terms.availability_body)}</p>
            <h2>{t!(i18n, terms.law_title)}</h2>
            <p>{t!(i18n, terms.law_body)}</p>
        </div>
    }
}
