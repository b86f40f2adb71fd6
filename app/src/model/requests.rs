//! Requests: the catalogue, the filing form, the dashboard, a request's page and the back
//! office queue.
//! What the server functions of `api::requests` take and give; the backend fills them.
use crate::domain::RequestStatus;
use crate::procedures::ProfileKind;
use serde::{Deserialize, Serialize};

/// The name of a status, in a language.
pub fn status_label(lang: crate::domain::Lang, status: RequestStatus) -> &'static str {
    use crate::i18n::*;
    let locale = crate::language::locale_of(lang);
    match status {
        RequestStatus::Draft => td_string!(locale, status.draft),
        RequestStatus::Submitted => td_string!(locale, status.submitted),
        RequestStatus::InTreatment => td_string!(locale, status.in_treatment),
        RequestStatus::DocumentsRequested => td_string!(locale, status.documents_requested),
        RequestStatus::Accepted => td_string!(locale, status.accepted),
        RequestStatus::Refused => td_string!(locale, status.refused),
        RequestStatus::Closed => td_string!(locale, status.closed),
    }
}

/// The column titles of the dashboard (and of its export), in a language.
pub fn column_titles(lang: crate::domain::Lang) -> [&'static str; 6] {
    use crate::i18n::*;
    let locale = crate::language::locale_of(lang);
    [
        td_string!(locale, dashboard.col_reference),
        td_string!(locale, dashboard.col_procedure),
        td_string!(locale, dashboard.col_status),
        td_string!(locale, dashboard.col_submitted),
        td_string!(locale, dashboard.col_updated),
        td_string!(locale, dashboard.col_subject),
    ]
}

/// One procedure in the catalogue, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub code: String,
    pub theme: String,
    pub title: String,
    pub description: String,
    pub service: String,
    pub needs_eid: bool,
}

/// The catalogue as the active profile sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueView {
    pub profile: Option<ProfileKind>,
    pub entries: Vec<CatalogueEntry>,
    /// How many the profile may file in all (before the search).
    pub total: usize,
}

/// One attachment as a page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub slot: String,
    pub file_name: String,
    pub size: i64,
    pub when: String,
}

/// The filing page: the definition, and the draft so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilingView {
    pub procedure: crate::procedures::Procedure,
    /// Names this form; posted with it so a retried submission finds its request.
    pub token: String,
    /// The profile keeps a draft of it (the answers and files below are the draft's).
    pub draft: bool,
    pub data: std::collections::BTreeMap<String, String>,
    pub attachments: Vec<AttachmentView>,
    /// The profile may file it (else the page says why not).
    pub allowed: bool,
    pub email_verified: bool,
    /// Where the person stands with the identification by eID this procedure may ask for.
    pub eid: EidState,
    /// The organisation whose verified representative this procedure needs, when the
    /// session acts for it as a declared one (the page leads to its "Vérification").
    pub verify_at: Option<i64>,
    /// Days since 1970-01-01 on the server (the dates' rules count from it).
    pub today: i64,
    /// Whose copy of the typed answers this browser may keep and restore: the account, then
    /// the profile (`12.c`, `12.7`). Another account's copies are dropped on arrival.
    pub keep_as: String,
}

/// The identification by eID, for the filing page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EidState {
    /// The procedure needs the basic level only.
    NotNeeded,
    /// It needs eID, and this server has no identity provider.
    Unavailable,
    /// It needs eID: the person will be sent to identify at submission.
    Needed,
    /// It needs eID, and this session identified recently enough.
    Done,
}

/// One line of the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    pub reference: String,
    pub procedure_code: String,
    pub procedure: String,
    /// What the request is about, from the answers its procedure names (`subject`): "Salle
    /// Lumière — 14/02/2027". Empty when the procedure names none.
    pub subject: String,
    pub status: RequestStatus,
    pub submitted: String,
    pub updated: String,
    /// Milliseconds: for the export's dates.
    pub submitted_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftRow {
    pub token: String,
    pub procedure_code: String,
    pub procedure: String,
    pub updated: String,
}

/// What the dashboard filters by (the query string of `/dashboard` and of its export).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilter {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub procedure: String,
    /// `YYYY-MM-DD`, submitted on or after.
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`, submitted on or before.
    #[serde(default)]
    pub to: String,
    /// A reference, or words of the request.
    #[serde(default)]
    pub q: String,
    /// `newest` (default), `oldest`, `updated`.
    #[serde(default)]
    pub sort: String,
    /// The page, from 1 (empty: the first).
    #[serde(default)]
    pub page: String,
    /// Milliseconds: the moment the first page was shown. The other pages list only what
    /// was filed by then, so that a request filed meanwhile moves no line from one page to
    /// the next (empty: now).
    #[serde(default)]
    pub as_of: String,
}

impl DashboardFilter {
    /// The address of page `page` of this filter, counted at `as_of`.
    pub fn page_link(&self, page: i64, as_of: i64) -> String {
        let q = self.query();
        if page <= 1 && q.is_empty() {
            return "/dashboard".to_string();
        }
        let mut link = format!("/dashboard?{q}");
        if page > 1 {
            if !q.is_empty() {
                link.push('&');
            }
            link.push_str(&format!("page={page}&as_of={as_of}"));
        }
        link
    }

    /// The query string that gives this filter (without the page), for links and the export.
    pub fn query(&self) -> String {
        let pairs = [
            ("status", &self.status),
            ("procedure", &self.procedure),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
            ("sort", &self.sort),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value (what `encodeURIComponent` leaves alone stays).
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardData {
    /// `None`: the citizen profile.
    pub organisation: Option<String>,
    pub counts: Vec<(RequestStatus, i64)>,
    pub total: i64,
    pub rows: Vec<RequestRow>,
    /// This page (from 1), and how many there are for the filter.
    pub page: i64,
    pub pages: i64,
    /// The moment the pages are counted at (`DashboardFilter::as_of`), for their links.
    pub as_of: i64,
    pub drafts: Vec<DraftRow>,
    /// The procedures the profile has requests of (for the filter).
    pub procedures: Vec<(String, String)>,
    /// What waits for the person, at the top of the dashboard.
    pub to_do: ToDo,
}

/// The dashboard's "À faire": what waits for the person, each with the way to do it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToDo {
    /// The profile's requests whose documents the administration asked for: reference and
    /// procedure.
    pub documents: Vec<(String, String)>,
    /// Organisations the person administers where someone asks for access: id, name and
    /// how many ask.
    pub access_requests: Vec<(i64, String, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub status: RequestStatus,
    pub note: String,
    /// "L'administration", or the person's name.
    pub by: String,
    pub by_agent: bool,
    pub when: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub body: String,
    pub by: String,
    pub by_agent: bool,
    pub when: String,
}

/// One answer of the form, labelled in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerView {
    pub label: String,
    pub value: String,
}

/// The request page (and the agent's view of it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub reference: String,
    pub procedure_code: String,
    pub procedure: String,
    pub service: String,
    pub status: RequestStatus,
    /// The profile it was filed for: "mon espace citoyen" (empty) or the organisation.
    pub profile: String,
    pub filed_by: String,
    pub submitted: String,
    /// While it is open: the date by which the service answers (its procedure's
    /// `answer_within`, counted from the filing), `24/12/2026`.
    pub answer_by: Option<String>,
    /// Filed after an identification by eID: the level the provider vouched for (`acr`).
    pub identification: Option<String>,
    pub answers: Vec<AnswerView>,
    pub attachments: Vec<AttachmentView>,
    pub events: Vec<EventView>,
    pub messages: Vec<MessageView>,
    /// While the status is "documents requested": what is asked.
    pub documents_asked: Option<String>,
    /// For an agent: where the request may go next (nowhere for a request of their own).
    pub next_statuses: Vec<RequestStatus>,
    /// For an agent: they filed it, or an organisation of theirs did; another agent
    /// processes it.
    pub own_request: bool,
    /// For the person who filed it: the administration's reads and downloads, newest first.
    pub accesses: Vec<AccessView>,
    /// The link led to a request of another of the person's profiles: the session now acts
    /// for that one (the page says so).
    pub switched_to: Option<SwitchedProfile>,
}

/// The profile a request's link switched the session to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SwitchedProfile {
    Citizen,
    /// The organisation's name.
    Organisation(String),
}

/// One read of a request (or download of an attachment) by the administration, as the
/// person who filed it sees it: the service, never the agent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    pub service: String,
    /// Brussels date and time of day.
    pub date: String,
    pub time: String,
    /// The attachment downloaded; `None`: the request was read.
    pub file_name: Option<String>,
}

/// One line of the agents' queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub reference: String,
    pub procedure: String,
    pub status: RequestStatus,
    pub submitted: String,
    /// Whole days since submission.
    pub age_days: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueData {
    pub rows: Vec<QueueRow>,
    pub next: Option<String>,
    pub procedures: Vec<(String, String)>,
}

/// The page numbers a pager shows around `current` of `pages`: the first, the last, and
/// two on each side of the current one; `None` where numbers are left out ("…").
pub fn page_numbers(current: i64, pages: i64) -> Vec<Option<i64>> {
    let mut shown: Vec<i64> = [1, pages]
        .into_iter()
        .chain(current - 2..=current + 2)
        .filter(|n| (1..=pages).contains(n))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() + 2);
    let mut previous = 0;
    for n in shown {
        // One page left out is shown rather than an ellipsis standing for it.
        if n == previous + 2 {
            out.push(Some(previous + 1));
        } else if n > previous + 2 {
            out.push(None);
        }
        out.push(Some(n));
        previous = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_make_their_query_string() {
        let filter = DashboardFilter {
            status: "submitted".into(),
            q: "rue de l'été".into(),
            ..Default::default()
        };
        assert_eq!(
            filter.query(),
            "status=submitted&q=rue%20de%20l%27%C3%A9t%C3%A9"
        );
    }

    #[test]
    fn page_links_keep_the_filter_and_the_moment_counted_at() {
        let all = DashboardFilter::default();
        assert_eq!(all.page_link(1, 5), "/dashboard");
        assert_eq!(all.page_link(3, 5), "/dashboard?page=3&as_of=5");
        let some = DashboardFilter {
            status: "accepted".into(),
            ..Default::default()
        };
        assert_eq!(some.page_link(1, 5), "/dashboard?status=accepted");
        assert_eq!(
            some.page_link(2, 5),
            "/dashboard?status=accepted&page=2&as_of=5"
        );
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_neighbours() {
        let shown = |current, pages| {
            page_numbers(current, pages)
                .into_iter()
                .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(1, 0), "");
        assert_eq!(shown(1, 5), "1 2 3 4 5");
        assert_eq!(shown(1, 10), "1 2 3 … 10");
        assert_eq!(shown(6, 12), "1 … 4 5 6 7 8 … 12");
        assert_eq!(shown(4, 12), "1 2 3 4 5 6 … 12");
        assert_eq!(shown(5, 12), "1 2 3 4 5 6 7 … 12");
        assert_eq!(shown(500, 500), "1 … 498 499 500");
    }
}
