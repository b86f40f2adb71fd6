use crate::components::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|i18n| t_string!(i18n, a11y.title) />
        <div class="content">
            <h1>{t!(i18n, a11y.title)}</h1>
            <p class="lead">{t!(i18n, a11y.commitment)}</p>
            <h2>{t!(i18n, a11y.status_title)}</h2>
            <p>{t!(i18n, a11y.status_body)}</p>
            <h2>{t!(i18n, a11y.method_title)}</h2>
            <p>{t!(i18n, a11y.method_body)}</p>
            <h2>{t!(i18n, a11y.feedback_title)}</h2>
            <p>{t!(i18n, a11y.feedback_body)}</p>
            <h2>{t!(i18n, a11y.appeal_title)}</h2>
            <p>{t!(i18n, a11y.appeal_body)}</p>
            <p class="meta">{t!(i18n, a11y.date)}</p>
        </div>
    }
}
