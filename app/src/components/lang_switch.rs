use crate::api::language::SetLanguage;
use crate::domain::Lang;
use crate::i18n::*;
use crate::language::{lang_of, locale_of};
use leptos::prelude::*;

/// FR / NL / EN in the header. A real form: it posts, and the server sends the browser back
/// to the same page in the new language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetLanguage>::new();
    let current = move || lang_of(i18n.get_locale());

    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, site.lang_label)>
            <ActionForm action>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        let is_current = move || current() == lang;
                        view! {
                            <button
                                type="submit"
                                name="lang"
                                value=lang.code()
                                class="lang-button"
                                class:current=is_current
                                aria-current=move || is_current().then_some("true")
                                lang=lang.code()
                            >
                                {lang.code().to_uppercase()}
                                <span class="visually-hidden">
                                    {" — "} {td_string!(locale_of(lang), lang.name)}
                                </span>
                            </button>
                        }
                    })
                    .collect_view()}
            </ActionForm>
        </div>
    }
}
