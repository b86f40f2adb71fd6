//! What every form shares: the translated message of a field error, the error summary at
//! the top of the form (GOV.UK pattern), and a text field with its label, hint and error.
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The field errors an action came back with.
pub fn field_errors(value: Option<Result<(), AppError>>) -> Vec<(String, String)> {
    match value {
        Some(Err(AppError::Validation(errors))) => {
            errors.into_iter().map(|e| (e.field, e.code)).collect()
        }
        // Saturated (password hashing): nothing was done; the summary says to try again.
        Some(Err(AppError::Busy { .. })) => vec![("form".to_string(), "server.busy".to_string())],
        Some(Err(AppError::TooManyMails { field })) => vec![(field, "mail.too_many".to_string())],
        _ => Vec::new(),
    }
}

/// Field errors carried in the address (`?errors=field:code,…`) after a form post.
pub fn errors_from_query(text: Option<String>) -> Vec<(String, String)> {
    text.unwrap_or_default()
        .split(',')
        .filter_map(|pair| pair.split_once(':'))
        .map(|(field, code)| (field.to_string(), code.to_string()))
        .take(30)
        .collect()
}

/// What the person typed in the field `name` before a form posted without JavaScript came
/// back refused: the server adds the form's fields (passwords left out) to the address as
/// `__form`, so that nothing typed is lost.
pub fn typed_value(name: &str) -> Option<String> {
    let query = leptos_router::hooks::use_query_map();
    let form = query.read_untracked().get("__form")?;
    form_urlencoded::parse(form.as_bytes())
        .find(|(field, _)| field == name)
        .map(|(_, value)| value.into_owned())
}

/// Whether the checkbox `name` was ticked before a refusal (as [`typed_value`]); `None`
/// when the page did not come back refused.
pub fn typed_checkbox(name: &str) -> Option<bool> {
    let query = leptos_router::hooks::use_query_map();
    let typed = query.read_untracked().get("__form").is_some();
    typed.then(|| typed_value(name).is_some())
}

/// The message of an error code, in the page's language. A code may carry the limit it
/// broke after a colon (`procedure.too_long:250`, `attachment.too_big:10`,
/// `attachment.wrong_type:PDF/JPEG`): the message then states it.
pub fn error_message(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    if let Some((base, limit)) = code.split_once(':') {
        let limit = limit.replace('/', ", ");
        let limit = limit.as_str();
        let stated = match base {
            "procedure.too_long" | "field.too_long" => {
                Some(t_string!(i18n, field_error.too_long_max, max = limit).to_string())
            }
            "procedure.number_too_small" => {
                Some(t_string!(i18n, field_error.number_min, min = limit).to_string())
            }
            "procedure.number_too_big" => {
                Some(t_string!(i18n, field_error.number_max, max = limit).to_string())
            }
            "attachment.too_big" => {
                Some(t_string!(i18n, field_error.attachment_too_big_max, size = limit).to_string())
            }
            "quota.drafts" => {
                Some(t_string!(i18n, field_error.quota_drafts, max = limit).to_string())
            }
            "quota.bytes" => {
                Some(t_string!(i18n, field_error.quota_bytes, max = limit).to_string())
            }
            "attachment.wrong_type" => Some(
                t_string!(i18n, field_error.attachment_wrong_type_list, types = limit).to_string(),
            ),
            _ => None,
        };
        return stated.unwrap_or_else(|| static_message(i18n, base).to_string());
    }
    static_message(i18n, code).to_string()
}

/// The message of a code that carries no limit.
fn static_message(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> &'static str {
    match code {
        "email.empty" => t_string!(i18n, field_error.email_empty),
        "email.too_long" => t_string!(i18n, field_error.email_too_long),
        "email.invalid" => t_string!(i18n, field_error.email_invalid),
        "name.empty" => t_string!(i18n, field_error.name_empty),
        "name.too_long" => t_string!(i18n, field_error.name_too_long),
        "password.too_short" => t_string!(i18n, field_error.password_too_short),
        "password.too_long" => t_string!(i18n, field_error.password_too_long),
        "password.too_common" => t_string!(i18n, field_error.password_too_common),
        "password.mismatch" => t_string!(i18n, field_error.password_mismatch),
        "language.invalid" => t_string!(i18n, field_error.language_invalid),
        "terms.required" => t_string!(i18n, field_error.terms_required),
        "invalid_credentials" => t_string!(i18n, field_error.invalid_credentials),
        "current_password.wrong" => t_string!(i18n, field_error.current_password_wrong),
        "email.same" => t_string!(i18n, field_error.email_same),
        "phone.empty" => t_string!(i18n, field_error.phone_empty),
        "phone.invalid_character" => t_string!(i18n, field_error.phone_invalid_character),
        "phone.invalid_international" => t_string!(i18n, field_error.phone_invalid_international),
        "phone.missing_prefix" => t_string!(i18n, field_error.phone_missing_prefix),
        "phone.wrong_length" => t_string!(i18n, field_error.phone_wrong_length),
        "phone.expected_landline" => t_string!(i18n, field_error.phone_expected_landline),
        "phone.expected_mobile" => t_string!(i18n, field_error.phone_expected_mobile),
        "postal_code.invalid" => t_string!(i18n, field_error.postal_code_invalid),
        "address.street_missing" => t_string!(i18n, field_error.street_missing),
        "address.number_missing" => t_string!(i18n, field_error.number_missing),
        "address.postal_code_missing" => t_string!(i18n, field_error.postal_code_missing),
        "address.city_missing" => t_string!(i18n, field_error.city_missing),
        "field.too_long" => t_string!(i18n, field_error.field_too_long),
        "bce.empty" => t_string!(i18n, field_error.bce_empty),
        "bce.invalid_character" => t_string!(i18n, field_error.bce_invalid_character),
        "bce.wrong_length" => t_string!(i18n, field_error.bce_wrong_length),
        "bce.bad_leading_digit" => t_string!(i18n, field_error.bce_bad_leading_digit),
        "bce.bad_check_digits" => t_string!(i18n, field_error.bce_bad_check_digits),
        "bce.already_member" => t_string!(i18n, field_error.bce_already_member),
        "access.already_pending" => t_string!(i18n, field_error.access_already_pending),
        "access.too_many" => t_string!(i18n, field_error.access_too_many),
        "kind.invalid" => t_string!(i18n, field_error.kind_invalid),
        "org_name.empty" => t_string!(i18n, field_error.org_name_empty),
        "vat.required" => t_string!(i18n, field_error.vat_required),
        "function.empty" => t_string!(i18n, field_error.function_empty),
        "wizard.no_draft" => t_string!(i18n, field_error.wizard_no_draft),
        "members.last_admin" => t_string!(i18n, field_error.last_admin),
        "preferences.unknown_profile" => t_string!(i18n, field_error.unknown_profile),
        "preferences.channel" => t_string!(i18n, field_error.channel),
        "procedure.required" => t_string!(i18n, field_error.required),
        "procedure.too_long" => t_string!(i18n, field_error.too_long),
        "procedure.number_invalid" => t_string!(i18n, field_error.number_invalid),
        "procedure.number_too_small" => t_string!(i18n, field_error.number_too_small),
        "procedure.number_too_big" => t_string!(i18n, field_error.number_too_big),
        "procedure.date_invalid" => t_string!(i18n, field_error.date_invalid),
        "procedure.date_too_early" => t_string!(i18n, field_error.date_too_early),
        "procedure.date_too_late" => t_string!(i18n, field_error.date_too_late),
        "procedure.time_invalid" => t_string!(i18n, field_error.time_invalid),
        "message.closed" => t_string!(i18n, field_error.message_closed),
        "message.too_many" => t_string!(i18n, field_error.message_too_many),
        "procedure.time_not_after" => t_string!(i18n, field_error.time_not_after),
        "procedure.choice_invalid" => t_string!(i18n, field_error.choice_invalid),
        "procedure.stale_form" => t_string!(i18n, field_error.stale_form),
        "procedure.eid_required" => t_string!(i18n, field_error.eid_required),
        "procedure.eid_unavailable" => t_string!(i18n, field_error.eid_unavailable),
        "procedure.email_unverified" => t_string!(i18n, field_error.email_unverified),
        "attachment.required" => t_string!(i18n, field_error.attachment_required),
        "attachment.too_big" => t_string!(i18n, field_error.attachment_too_big),
        "attachment.wrong_type" => t_string!(i18n, field_error.attachment_wrong_type),
        "attachment.empty" => t_string!(i18n, field_error.attachment_empty),
        "attachment.not_stored" => t_string!(i18n, field_error.attachment_not_stored),
        "attachment.too_many" => t_string!(i18n, field_error.attachment_too_many),
        "upload.failed" => t_string!(i18n, field_error.upload_failed),
        "server.busy" => t_string!(i18n, field_error.server_busy),
        "mail.too_many" => t_string!(i18n, field_error.mail_too_many),
        "message.empty" => t_string!(i18n, field_error.message_empty),
        "request.transition" => t_string!(i18n, field_error.transition),
        "request.documents_note" => t_string!(i18n, field_error.documents_note),
        "request.not_asked" => t_string!(i18n, field_error.not_asked),
        "request.conflict" => t_string!(i18n, field_error.conflict),
        "request.own_request" => t_string!(i18n, field_error.own_request),
        "proof.kind_required" => t_string!(i18n, field_error.proof_kind_required),
        "proof.already_verified" => t_string!(i18n, field_error.proof_already_verified),
        "proof.already_pending" => t_string!(i18n, field_error.proof_already_pending),
        "proof.reason_required" => t_string!(i18n, field_error.proof_reason_required),
        "proof.reason_too_long" => t_string!(i18n, field_error.proof_reason_too_long),
        "proof.already_decided" => t_string!(i18n, field_error.proof_already_decided),
        "proof.own_organisation" => t_string!(i18n, field_error.proof_own_organisation),
        "proof.decision_required" => t_string!(i18n, field_error.proof_decision_required),
        "post.no_seat" => t_string!(i18n, field_error.post_no_seat),
        "post.already_sent" => t_string!(i18n, field_error.post_already_sent),
        "post.code_empty" => t_string!(i18n, field_error.post_code_empty),
        "post.no_code" => t_string!(i18n, field_error.post_no_code),
        "post.code_expired" => t_string!(i18n, field_error.post_code_expired),
        "post.code_used_up" => t_string!(i18n, field_error.post_code_used_up),
        "post.code_wrong" => t_string!(i18n, field_error.post_code_wrong),
        "representative.not_verified" => {
            t_string!(i18n, field_error.representative_not_verified)
        }
        "dispute.explanation_required" => t_string!(i18n, field_error.dispute_explanation_required),
        "dispute.explanation_too_long" => t_string!(i18n, field_error.dispute_explanation_too_long),
        "dispute.unknown_organisation" => t_string!(i18n, field_error.dispute_unknown_organisation),
        "dispute.already_member" => t_string!(i18n, field_error.dispute_already_member),
        "dispute.already_open" => t_string!(i18n, field_error.dispute_already_open),
        "dispute.action_required" => t_string!(i18n, field_error.dispute_action_required),
        "dispute.reason_required" => t_string!(i18n, field_error.dispute_reason_required),
        "dispute.already_decided" => t_string!(i18n, field_error.dispute_already_decided),
        "dispute.own" => t_string!(i18n, field_error.dispute_own),
        "dashboard.status" => t_string!(i18n, field_error.dashboard_status),
        "dashboard.page" => t_string!(i18n, field_error.dashboard_page),
        "delete.confirm_required" => t_string!(i18n, field_error.delete_confirm_required),
        "delete.last_admin" => t_string!(i18n, field_error.delete_last_admin),
        _ => t_string!(i18n, field_error.unknown),
    }
}

/// The translated message of the error about `field`, if there is one.
pub fn message_for(
    i18n: leptos_i18n::I18nContext<Locale>,
    errors: Signal<Vec<(String, String)>>,
    field: &str,
) -> Option<String> {
    errors
        .read()
        .iter()
        .find(|(name, _)| name == field)
        .map(|(_, code)| error_message(i18n, code))
}

/// The required box "J'accepte les conditions générales d'accès", with the link to read
/// them and its error.
#[component]
pub fn TermsCheckbox(
    /// The `name` the server function reads.
    name: &'static str,
    errors: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = move || message_for(i18n, errors, "terms");
    view! {
        <div class="field field-checkbox" class:field-error=move || error().is_some()>
            {move || error().map(|message| view! { <p class="error-message" id="terms-error">{message}</p> })}
            <input
                type="checkbox"
                id="terms"
                name=name
                value="on"
                checked=typed_value(name).is_some()
                aria-describedby=move || error().map(|_| "terms-error")
                aria-invalid=move || error().map(|_| "true")
            />
            <label for="terms">{t!(i18n, register.terms)}</label>
            <p class="checkbox-link">
                <a href="/terms" target="_blank" rel="noopener">{t!(i18n, register.terms_link)}</a>
            </p>
        </div>
    }
}

/// A choice among the site's languages, each named in itself.
#[component]
pub fn LanguageSelect(
    /// The `name` the server function reads.
    name: &'static str,
    label: Signal<&'static str>,
    current: crate::domain::Lang,
) -> impl IntoView {
    use crate::language::locale_of;
    let current = typed_value(name)
        .and_then(|code| crate::domain::Lang::parse(&code))
        .unwrap_or(current);
    view! {
        <div class="field">
            <label for="language">{move || label.get()}</label>
            <select id="language" name=name>
                {crate::domain::Lang::ALL
                    .into_iter()
                    .map(|lang| view! {
                        <option value=lang.code() selected=lang == current lang=lang.code()>
                            {td_string!(locale_of(lang), lang.name)}
                        </option>
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The list of errors above the form; each links to its field (following the link focuses
/// the field). A page that comes back refused opens with the focus on the list, so a screen
/// reader reads it first and a keyboard starts from it (`autofocus`: no script needed).
#[component]
pub fn ErrorSummary(
    errors: Signal<Vec<(String, String)>>,
    /// The label of each field, by its name: each error then says which field it is about.
    #[prop(optional, into)]
    labels: Option<Signal<Vec<(String, String)>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label_of = move |field: &str| {
        labels.and_then(|labels| {
            labels
                .read()
                .iter()
                .find(|(name, _)| name == field)
                .map(|(_, label)| label.clone())
        })
    };
    move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| {
            view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus=true>
                    <h2>{t!(i18n, register.errors_title)}</h2>
                    <ul>
                        {errors
                            .into_iter()
                            .map(|(field, code)| {
                                view! {
                                    <li>
                                        <a href=format!("#{field}")>
                                            {label_of(&field).map(|label| format!("{label}{}", t_string!(i18n, form.label_separator)))}
                                            {error_message(i18n, &code)}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// A labelled input with an optional hint and its error.
#[component]
pub fn TextField(
    /// The `id` (also the key of its errors).
    id: &'static str,
    /// The `name` the server function reads.
    name: &'static str,
    label: Signal<&'static str>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    /// The value the field opens with (a saved profile, …).
    #[prop(optional, into)]
    value: Option<String>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    /// Shown and sent, not editable (the hint should say why).
    #[prop(optional)]
    readonly: bool,
    errors: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = move || message_for(i18n, errors, id);
    // What was typed before a refusal wins over the value the field opens with.
    let value = typed_value(name).or(value);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-error=move || error().is_some()>
            <label for=id>{move || label.get()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{move || hint.get()}</p> })}
            {move || error().map(|message| view! { <p class="error-message" id=error_id.clone()>{message}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                list=list
                readonly=readonly
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=described_by
            />
        </div>
    }
}
