//! "Mon compte" > "Préférences" (the third item): the space active at sign-in, and how each
//! kind of notification arrives.
use super::account::{AccountLayout, SavedNotice};
use crate::api::account::{get_preferences, SavePreferences};
use crate::components::form::{field_errors, ErrorSummary};
use crate::components::{LoadError, PageTitle};
use crate::domain::{Channel, Topic};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Préférences" (the third item): the space active at sign-in, and how notifications arrive.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SavePreferences>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("saved"), |_| get_preferences());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, account.preferences_title) />
        <AccountLayout save_form="preferences-form">
            <SavedNotice key="saved" expected="1" message=|i18n| t_string!(i18n, account.preferences_saved) />
            <h1>{t!(i18n, account.preferences_title)}</h1>
            <ErrorSummary errors />
            <Suspense>
                {move || Suspend::new(async move {
                    let data = match data.await {
                        Ok(data) => data,
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let default = data.default_profile.clone();
                    view! {
                        <ActionForm action attr:id="preferences-form" attr:class="form">
                            <fieldset class="field" id="default_profile">
                                <legend>{t!(i18n, account.default_space)}</legend>
                                <p class="hint">{t!(i18n, account.default_space_hint)}</p>
                                <div class="radio">
                                    <input type="radio" id="default-citizen" name="default_profile" value="" checked=default.is_empty() />
                                    <label for="default-citizen">{t!(i18n, account.personal_profile)}</label>
                                </div>
                                {data.organisations.into_iter().map(|org| {
                                    let id = format!("default-{}", org.id);
                                    let value = org.id.to_string();
                                    let checked = value == default;
                                    view! {
                                        <div class="radio">
                                            <input type="radio" id=id.clone() name="default_profile" value=value checked=checked />
                                            <label for=id>{format!("{} ({})", org.name, org.bce)}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <h2>{t!(i18n, account.notifications_title)}</h2>
                            <p class="hint">{t!(i18n, account.notifications_hint)}</p>
                            {data.channels.into_iter().map(|(topic, channel)| {
                                let name = format!("notify_{}", topic.code());
                                let legend = move || match topic {
                                    Topic::Status => t_string!(i18n, account.topic_status),
                                    Topic::Documents => t_string!(i18n, account.topic_documents),
                                    Topic::Messages => t_string!(i18n, account.topic_messages),
                                    Topic::Access => t_string!(i18n, account.topic_access),
                                };
                                view! {
                                    <fieldset class="field" id=name.clone()>
                                        <legend>{legend}</legend>
                                        <div class="radio-list">
                                            {Channel::ALL.into_iter().map(|choice| {
                                                let id = format!("{name}-{}", choice.code());
                                                let label = move || match choice {
                                                    Channel::Both => t_string!(i18n, account.channel_both),
                                                    Channel::Email => t_string!(i18n, account.channel_email),
                                                    Channel::InApp => t_string!(i18n, account.channel_in_app),
                                                };
                                                view! {
                                                    <div class="radio">
                                                        <input type="radio" id=id.clone() name=name.clone() value=choice.code() checked=choice == channel />
                                                        <label for=id>{label}</label>
                                                    </div>
                                                }
                                            }).collect_view()}
                                        </div>
                                    </fieldset>
                                }
                            }).collect_view()}
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </AccountLayout>
    }
}
