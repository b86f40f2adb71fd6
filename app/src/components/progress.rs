//! Where a request stands, as a line of four steps: sent, being dealt with, decided, closed.
//! The current step is named for screen readers too ("étape 2 sur 4").
use crate::domain::RequestStatus;
use crate::i18n::*;
use crate::language::lang_of;
use crate::model::requests::status_label;
use leptos::prelude::*;

/// The step of a filed request, from 1 to 4 (a draft is step 0).
pub fn step_of(status: RequestStatus) -> usize {
    match status {
        RequestStatus::Draft => 0,
        RequestStatus::Submitted => 1,
        RequestStatus::InTreatment | RequestStatus::DocumentsRequested => 2,
        RequestStatus::Accepted | RequestStatus::Refused => 3,
        RequestStatus::Closed => 4,
    }
}

/// `compact`: four short bars (a dashboard row), the steps' names for screen readers only.
#[component]
pub fn ProgressLine(status: RequestStatus, #[prop(optional)] compact: bool) -> impl IntoView {
    let i18n = use_i18n();
    let current = step_of(status);
    let name = move |step: usize| match step {
        1 => t_string!(i18n, progress.sent).to_string(),
        2 => t_string!(i18n, progress.dealt_with).to_string(),
        // The decision step says which one, once there is one.
        3 if current >= 3 && status != RequestStatus::Closed => {
            status_label(lang_of(i18n.get_locale()), status).to_string()
        }
        3 => t_string!(i18n, progress.decided).to_string(),
        _ => t_string!(i18n, progress.closed).to_string(),
    };
    view! {
        <ol class="progress-line" class:progress-compact=compact aria-label=move || t_string!(i18n, progress.label, step = current).to_string()>
            {(1..=4).map(|step| {
                let state = if step < current { "done" } else if step == current { "current" } else { "todo" };
                view! {
                    <li class=format!("progress-step progress-{state}") aria-current=(step == current).then_some("step")>
                        {move || name(step)}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filed_status_has_its_step_in_order() {
        let steps: Vec<usize> = RequestStatus::FILED.into_iter().map(step_of).collect();
        assert!(steps.windows(2).all(|pair| pair[0] <= pair[1]), "{steps:?}");
        assert_eq!(step_of(RequestStatus::Submitted), 1);
        assert_eq!(step_of(RequestStatus::Closed), 4);
    }
}
