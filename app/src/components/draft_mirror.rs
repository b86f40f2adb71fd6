//! Keeps what is typed in the organisation wizard in the browser's local storage (with
//! gloo-storage) until the step is sent: a reload or a lost connection before "Suivant"
//! loses nothing. The server keeps each step once sent; this covers the typing in between.
//! Cleared when the profile is created or asked for, and at sign-out.
use leptos::prelude::*;

/// The wizard's fields, by their `name` (only the browser keeps them).
#[cfg(feature = "hydrate")]
pub const WIZARD_FIELDS: [&str; 5] = ["bce", "name", "confirmed_kind", "vat_subject", "function"];

#[cfg(feature = "hydrate")]
fn key(name: &str) -> String {
    format!("espace.wizard.{name}")
}

/// Forgets the mirrored answers (done, or signed out).
pub fn clear_wizard_mirror() {
    #[cfg(feature = "hydrate")]
    for name in WIZARD_FIELDS {
        <Local as gloo_storage::Storage>::delete(key(name));
    }
}

#[cfg(feature = "hydrate")]
type Local = gloo_storage::LocalStorage;

/// Wraps a wizard step's form: saves every change, and on arrival fills the fields the
/// server left empty with what was typed before the reload. An island: the form itself is
/// rendered on the server.
#[island]
pub fn DraftMirror(children: Children) -> impl IntoView {
    let wrapper = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::HtmlInputElement;
        let Some(wrapper) = wrapper.get() else {
            return;
        };
        for name in WIZARD_FIELDS {
            let Ok(saved) = <Local as gloo_storage::Storage>::get::<String>(key(name)) else {
                continue;
            };
            let Ok(Some(first)) = wrapper.query_selector(&format!("[name=\"{name}\"]")) else {
                continue;
            };
            let Ok(first) = first.dyn_into::<HtmlInputElement>() else {
                continue;
            };
            if first.type_() == "radio" {
                let selector = format!("[name=\"{name}\"][value=\"{saved}\"]");
                if let Ok(Some(radio)) = wrapper.query_selector(&selector) {
                    if let Ok(radio) = radio.dyn_into::<HtmlInputElement>() {
                        radio.set_checked(true);
                    }
                }
            } else if first.value().is_empty() {
                first.set_value(&saved);
            }
        }
    });
    let remember = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let input = event
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok());
            if let Some(input) = input {
                let name = input.name();
                if WIZARD_FIELDS.contains(&name.as_str()) {
                    let _ = <Local as gloo_storage::Storage>::set(key(&name), input.value());
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! {
        <div node_ref=wrapper on:input=remember on:change=remember>
            {children()}
        </div>
    }
}
