//! In the browser, on a procedure's form: the same checks as the server's before sending,
//! the upload with a progress bar, and a copy of what is typed kept in local storage (with
//! gloo-storage) so that a reload or a lost connection loses nothing. Without JavaScript
//! the form posts as it is, and the server checks it all the same.
use crate::procedures::{validate, Procedure};
use leptos::prelude::*;
use leptos::wasm_bindgen::{closure::Closure, JsCast};
use std::collections::BTreeMap;
use web_sys::{FormData, HtmlFormElement, XmlHttpRequest};

type Local = gloo_storage::LocalStorage;
const PREFIX: &str = "espace.procedure.";

fn key(code: &str) -> String {
    format!("{PREFIX}{code}")
}

/// The typed answers of the form (`f.*` fields), without the files.
fn answers(form: &HtmlFormElement) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(data) = FormData::new_with_form(form) else {
        return out;
    };
    let Ok(Some(iterator)) = js_sys::try_iter(&data) else {
        return out;
    };
    for entry in iterator.flatten() {
        let pair: js_sys::Array = entry.unchecked_into();
        let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) else {
            continue;
        };
        if let Some(field) = name.strip_prefix("f.") {
            out.insert(field.to_string(), value);
        }
    }
    out
}

/// Keeps the typed answers of a procedure's form (called on every change).
pub fn remember(code: &str, form: &HtmlFormElement) {
    let _ = <Local as gloo_storage::Storage>::set(key(code), answers(form));
}

/// Forgets them (sent, or signed out).
pub fn forget(code: &str) {
    <Local as gloo_storage::Storage>::delete(key(code));
}

/// Forgets every procedure's typed answers (at sign-out).
pub fn forget_all() {
    let Ok(storage) = leptos::prelude::window().local_storage() else {
        return;
    };
    let Some(storage) = storage else {
        return;
    };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    for k in keys {
        let _ = storage.remove_item(&k);
    }
}

/// On arrival: fills the fields the server left empty with what was typed before.
pub fn restore(code: &str, form: &HtmlFormElement) {
    let Ok(saved) = <Local as gloo_storage::Storage>::get::<BTreeMap<String, String>>(key(code))
    else {
        return;
    };
    for (name, value) in saved {
        let selector = format!("[name=\"f.{}\"]", name.replace('"', ""));
        let Ok(found) = form.query_selector_all(&selector) else {
            continue;
        };
        for i in 0..found.length() {
            let Some(node) = found.item(i) else { continue };
            if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                if input.type_() == "radio" {
                    let group_empty = (0..found.length())
                        .filter_map(|j| found.item(j))
                        .filter_map(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .all(|r| !r.checked());
                    if group_empty && input.value() == value {
                        input.set_checked(true);
                    }
                } else if input.value().is_empty() {
                    input.set_value(&value);
                }
            } else if let Some(area) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                if area.value().is_empty() {
                    area.set_value(&value);
                }
            } else if let Some(select) = node.dyn_ref::<web_sys::HtmlSelectElement>() {
                if select.value().is_empty() {
                    select.set_value(&value);
                }
            }
        }
    }
}

/// Handles the form's submit: with "Envoyer", checks it first; then sends it with a
/// progress bar and follows the server's answer.
#[allow(clippy::too_many_arguments)]
pub fn submit(
    event: leptos::ev::SubmitEvent,
    form_ref: NodeRef<leptos::html::Form>,
    procedure: &Procedure,
    today: i64,
    // The slots that already hold a file (kept with the draft).
    attached: &[String],
    errors: RwSignal<Vec<(String, String)>>,
    progress: RwSignal<Option<u32>>,
) {
    let Some(form) = form_ref.get_untracked() else {
        return;
    };
    let intent = event
        .submitter()
        .and_then(|button| button.get_attribute("value"))
        .unwrap_or_else(|| "save".to_string());
    if intent == "submit" {
        let mut found = validate(procedure, &answers(&form), today);
        for slot in procedure.attachments.iter().filter(|slot| slot.required) {
            let chosen = form
                .query_selector(&format!("[name=\"file.{}\"]", slot.name))
                .ok()
                .flatten()
                .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .is_some_and(|files| files.length() > 0);
            if !chosen && !attached.contains(&slot.name) {
                found.push(crate::error::FieldError::new(
                    &slot.name,
                    "attachment.required",
                ));
            }
        }
        if !found.is_empty() {
            event.prevent_default();
            errors.set(found.into_iter().map(|e| (e.field, e.code)).collect());
            if let Ok(Some(summary)) = document().query_selector(".error-summary") {
                if let Ok(summary) = summary.dyn_into::<web_sys::HtmlElement>() {
                    let _ = summary.focus();
                }
            }
            return;
        }
    }
    errors.set(Vec::new());
    let Ok(data) = FormData::new_with_form(&form) else {
        return; // The browser posts the form itself.
    };
    let Ok(request) = XmlHttpRequest::new() else {
        return;
    };
    event.prevent_default();
    let _ = data.append_with_str("intent", &intent);
    let code = procedure.code.clone();
    let action = form.action();
    if request.open("POST", &action).is_err() {
        let _ = form.submit();
        return;
    }
    let _ = request.set_request_header("x-espace-upload", "1");
    let _ = request.set_request_header("accept", "application/json");
    if let Ok(upload) = request.upload() {
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.set(Some(((e.loaded() / e.total()) * 100.0) as u32));
                }
            });
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    progress.set(Some(0));
    let done = request.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        let location = done
            .response_text()
            .ok()
            .flatten()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|json| {
                json.get("location")
                    .and_then(|l| l.as_str())
                    .map(str::to_string)
            });
        match location {
            Some(location) => {
                if location.starts_with("/requests/") {
                    forget(&code);
                }
                let _ = window().location().assign(&location);
            }
            // Refused by the server (too big, not allowed, …): its page says why.
            None => {
                let _ = window().location().reload();
            }
        }
    });
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        errors.set(vec![("form".to_string(), "upload.failed".to_string())]);
    });
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    if request.send_with_opt_form_data(Some(&data)).is_err() {
        progress.set(None);
    }
}
