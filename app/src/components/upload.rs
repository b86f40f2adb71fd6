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

/// Kept per account and profile (`owner`, [`crate::model::requests::FilingView::keep_as`])
/// and procedure; files are never kept.
fn key(owner: &str, code: &str) -> String {
    format!("{PREFIX}{owner}.{code}")
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
pub fn remember(owner: &str, code: &str, form: &HtmlFormElement) {
    let _ = <Local as gloo_storage::Storage>::set(key(owner, code), answers(form));
}

/// Forgets them (sent, or signed out).
pub fn forget(owner: &str, code: &str) {
    <Local as gloo_storage::Storage>::delete(key(owner, code));
}

/// Forgets every procedure's typed answers (at sign-out).
pub fn forget_all() {
    forget_where(|_| true);
}

/// Forgets what other accounts typed on this browser (a shared computer whose previous
/// user's session ended without signing out).
fn forget_other_accounts(owner: &str) {
    let account = owner.split('.').next().unwrap_or_default();
    let mine = format!("{PREFIX}{account}.");
    forget_where(|key| !key.starts_with(&mine));
}

/// Removes the kept answers whose key `drop` picks.
fn forget_where(drop: impl Fn(&str) -> bool) {
    let Ok(storage) = leptos::prelude::window().local_storage() else {
        return;
    };
    let Some(storage) = storage else {
        return;
    };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX) && drop(k))
        .collect();
    for k in keys {
        let _ = storage.remove_item(&k);
    }
}

/// On arrival: fills the fields the server left empty with what this account typed before
/// for this profile, and drops what other accounts left.
pub fn restore(owner: &str, code: &str, form: &HtmlFormElement) {
    forget_other_accounts(owner);
    let Ok(saved) =
        <Local as gloo_storage::Storage>::get::<BTreeMap<String, String>>(key(owner, code))
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

/// Shows the errors found in the browser, and moves the focus to their summary.
fn show(errors: RwSignal<Vec<(String, String)>>, found: Vec<crate::error::FieldError>) {
    errors.set(found.into_iter().map(|e| (e.field, e.code)).collect());
    // The summary is drawn on the next tick: focus it then.
    request_animation_frame(|| {
        if let Ok(Some(summary)) = document().query_selector(".error-summary") {
            if let Ok(summary) = summary.dyn_into::<web_sys::HtmlElement>() {
                let _ = summary.focus();
            }
        }
    });
}

/// The chosen files that their slot would refuse for their size or their type.
fn chosen_file_errors(
    form: &HtmlFormElement,
    procedure: &Procedure,
) -> Vec<crate::error::FieldError> {
    let mut found = Vec::new();
    for slot in &procedure.attachments {
        let Some(files) = form
            .query_selector(&format!("[name=\"file.{}\"]", slot.name))
            .ok()
            .flatten()
            .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
        else {
            continue;
        };
        for i in 0..files.length() {
            let Some(file) = files.item(i) else { continue };
            let code = if file.size() > slot.max_bytes() as f64 {
                crate::procedures::AttachmentSlot::too_big_code(slot.max_bytes())
            } else if !file.type_().is_empty()
                && !slot.types.iter().any(|t| t.mime() == file.type_())
            {
                crate::procedures::AttachmentSlot::wrong_type_code(&slot.types)
            } else {
                continue;
            };
            found.push(crate::error::FieldError::new(&slot.name, &code));
            break;
        }
    }
    found
}

/// What the form's submit handler knows of the form it sends.
pub struct FormFacts<'a> {
    pub procedure: &'a Procedure,
    /// Days since 1970-01-01 on the server (the dates' rules count from it).
    pub today: i64,
    /// The slots that already hold a file (kept with the draft).
    pub attached: &'a [String],
    /// Whose copy of the answers this browser keeps (`FilingView::keep_as`).
    pub owner: &'a str,
}

/// Handles the form's submit: with "Continuer", checks it first; then sends it with a
/// progress bar and follows the server's answer.
pub fn submit(
    event: leptos::ev::SubmitEvent,
    form_ref: NodeRef<leptos::html::Form>,
    facts: FormFacts<'_>,
    errors: RwSignal<Vec<(String, String)>>,
    progress: RwSignal<Option<u32>>,
) {
    let FormFacts {
        procedure,
        today,
        attached,
        owner,
    } = facts;
    let Some(form) = form_ref.get_untracked() else {
        return;
    };
    let intent = event
        .submitter()
        .and_then(|button| button.get_attribute("value"))
        .unwrap_or_else(|| "save".to_string());
    // A file over its slot's size, or of a type it does not take, is said before anything is
    // sent (the server checks again, by content).
    let file_errors = chosen_file_errors(&form, procedure);
    if !file_errors.is_empty() {
        event.prevent_default();
        show(errors, file_errors);
        return;
    }
    // "Continuer" checks as the filing will, so that the check page shows a complete request.
    if intent == "submit" || intent == "review" {
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
            show(errors, found);
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
    let owner = owner.to_string();
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
                // Kept on the server (as a draft, or filed): the browser's copy is no longer
                // needed. After an error the form comes back, and the copy with it.
                if !location.contains("errors=") {
                    forget(&owner, &code);
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
