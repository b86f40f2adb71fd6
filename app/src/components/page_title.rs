use crate::i18n::*;
use leptos::prelude::*;
use leptos::text_prop::TextProp;
use leptos_meta::Title;

/// The page's `<title>`, translated. On the server the text is computed while the page
/// renders: leptos_meta reads titles after rendering, outside the request's reactive
/// arena, where reading the language signal would fail under concurrent requests.
#[component]
pub fn PageTitle(text: fn(leptos_i18n::I18nContext<Locale>) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let text = TextProp::from(text(i18n));
    #[cfg(not(feature = "ssr"))]
    let text = TextProp::from(move || text(i18n));
    view! { <Title text /> }
}
