use crate::components::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn HelpPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|i18n| t_string!(i18n, help.title) />
        <div class="content">
            <h1>{t!(i18n, help.title)}</h1>
            <p class="lead">{t!(i18n, help.intro)}</p>
            <section class="faq">
                <h2>{t!(i18n, help.q_what)}</h2>
                <p>{t!(i18n, help.a_what)}</p>
                <h2>{t!(i18n, help.q_why)}</h2>
                <p>{t!(i18n, help.a_why)}</p>
                <h2>{t!(i18n, help.q_needed)}</h2>
                <p>{t!(i18n, help.a_needed)}</p>
                <h2>{t!(i18n, help.q_spaces)}</h2>
                <p>{t!(i18n, help.a_spaces)}</p>
                <h2>{t!(i18n, help.q_account)}</h2>
                <p>{t!(i18n, help.a_account)}</p>
                <h2>{t!(i18n, help.q_login)}</h2>
                <p>{t!(i18n, help.a_login)}</p>
                <h2>{t!(i18n, help.q_requests)}</h2>
                <p>{t!(i18n, help.a_requests)}</p>
                <h2>{t!(i18n, help.q_dashboard)}</h2>
                <p>{t!(i18n, help.a_dashboard)}</p>
                <h2>{t!(i18n, help.q_who_read)}</h2>
                <p>{t!(i18n, help.a_who_read)}</p>
                <h2>{t!(i18n, help.q_eid)}</h2>
                <p>{t!(i18n, help.a_eid)}</p>
                <h2>{t!(i18n, help.q_create_org)}</h2>
                <p>{t!(i18n, help.a_create_org)}</p>
                <h2>{t!(i18n, help.q_other_profile)}</h2>
                <p>{t!(i18n, help.a_other_profile)}</p>
                <h2>{t!(i18n, help.q_verified)}</h2>
                <p>{t!(i18n, help.a_verified)}</p>
                <h2>{t!(i18n, help.q_dispute)}</h2>
                <p>{t!(i18n, help.a_dispute)}</p>
                <h2>{t!(i18n, help.q_forgot)}</h2>
                <p>{t!(i18n, help.a_forgot)}</p>
                <h2>{t!(i18n, help.q_blocked)}</h2>
                <p>{t!(i18n, help.a_blocked)}</p>
                <h2>{t!(i18n, help.q_session)}</h2>
                <p>{t!(i18n, help.a_session)}</p>
                <h2>{t!(i18n, help.q_my_account)}</h2>
                <p>{t!(i18n, help.a_my_account)}</p>
                <h2>{t!(i18n, help.q_preferences)}</h2>
                <p>{t!(i18n, help.a_preferences)}</p>
                <h2>{t!(i18n, help.q_notifications)}</h2>
                <p>{t!(i18n, help.a_notifications)}</p>
                <h2>{t!(i18n, help.q_my_data)}</h2>
                <p>{t!(i18n, help.a_my_data)}</p>
                <h2>{t!(i18n, help.q_sessions)}</h2>
                <p>{t!(i18n, help.a_sessions)}</p>
                <h2>{t!(i18n, help.q_language)}</h2>
                <p>{t!(i18n, help.a_language)}</p>
                <h2>{t!(i18n, help.q_without_js)}</h2>
                <p>{t!(i18n, help.a_without_js)}</p>
            </section>
        </div>
    }
}
