//! The eID handlers: `POST /auth/eid/start` and `GET /auth/eid/callback`.
use crate::state::AppState;
use app::backend::eid::{self, EidProblem};
use app::backend::session::CurrentUser;
use app::backend::Client as ClientInfo;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

/// Where a refusal is explained.
pub fn problem_page(problem: EidProblem, back: &str) -> String {
    let back = eid::safe_return_to(back);
    let back: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
    format!("/identification?problem={}&back={back}", problem.code())
}

fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}

fn client_info(headers: &HeaderMap, request_ip: Option<String>) -> ClientInfo {
    ClientInfo {
        ip: request_ip,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(300).collect()),
    }
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    return_to: String,
}

/// `POST /auth/eid/start`: sends the signed-in person to the provider.
pub async fn start(State(state): State<AppState>, request: Request) -> Response {
    let Some(user) = request.extensions().get::<CurrentUser>().cloned() else {
        return see_other("/login");
    };
    if !user.email_verified {
        // A national number is linked only to an account whose address is confirmed.
        return see_other(app::access::VERIFY_FIRST);
    }
    let form = match <Form<StartForm> as axum::extract::FromRequest<AppState>>::from_request(
        request, &state,
    )
    .await
    {
        Ok(Form(form)) => form,
        Err(_) => StartForm {
            return_to: String::new(),
        },
    };
    let return_to = eid::safe_return_to(&form.return_to);
    see_other(&start_location(&state, &user, &return_to).await)
}

/// The provider's address for a new flow, or the page that says why there is none.
pub async fn start_location(state: &AppState, user: &CurrentUser, return_to: &str) -> String {
    let Some(client) = &state.eid else {
        return problem_page(EidProblem::Unavailable, return_to);
    };
    match client.start(&state.db, user, return_to).await {
        Ok(url) => url,
        Err(problem) => problem_page(problem, return_to),
    }
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/eid/callback`: the provider sends the person back here.
pub async fn callback(
    State(state): State<AppState>,
    Query(answer): Query<Callback>,
    request: Request,
) -> Response {
    let Some(user) = request.extensions().get::<CurrentUser>().cloned() else {
        return see_other("/login");
    };
    if !user.email_verified {
        // A national number is linked only to an account whose address is confirmed.
        return see_other(app::access::VERIFY_FIRST);
    }
    let ip = request
        .extensions()
        .get::<app::backend::ClientIp>()
        .map(|ip| ip.0.clone());
    let client = client_info(request.headers(), ip);
    let Some(eid_client) = &state.eid else {
        return see_other(&problem_page(EidProblem::Unavailable, "/dashboard"));
    };
    let Some(state_param) = answer
        .state
        .as_deref()
        .filter(|s| !s.is_empty() && s.len() <= 200)
    else {
        if answer.error.is_some() {
            // Cancelled, and the provider left the state out.
            let back = eid::latest_return_to(&state.db, &user)
                .await
                .unwrap_or_else(|| "/dashboard".to_string());
            return see_other(&problem_page(EidProblem::Denied, &back));
        }
        return see_other(&problem_page(EidProblem::State, "/dashboard"));
    };
    // The flow is used up whatever follows: an answer is never accepted twice.
    let flow = match eid::take_flow(&state.db, &user, state_param).await {
        Ok(flow) => flow,
        Err(problem) => {
            let back = eid::return_to_of(&state.db, state_param)
                .await
                .unwrap_or_else(|| "/dashboard".to_string());
            tracing::warn!(
                account = user.account_id,
                "eID answer with an unusable state"
            );
            return see_other(&problem_page(problem, &back));
        }
    };
    if answer.error.is_some() {
        return see_other(&problem_page(EidProblem::Denied, &flow.return_to));
    }
    let Some(code) = answer
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 2000)
    else {
        return see_other(&problem_page(EidProblem::Invalid, &flow.return_to));
    };
    let outcome = match eid_client.finish(&flow, code).await {
        Ok(identity) => eid::identified(&state.db, &user, &identity, &client).await,
        Err(problem) => Err(problem),
    };
    metrics::counter!(
        "eid_identifications_total",
        "outcome" => outcome.as_ref().err().map_or("identified", |problem| problem.code())
    )
    .increment(1);
    match outcome {
        Ok(token) => {
            // The session goes on under a new token.
            let mut response = see_other(&flow.return_to);
            let cookie = app::backend::session::cookie(&token, &state.server_config);
            if let Ok(value) = header::HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(problem) => see_other(&problem_page(problem, &flow.return_to)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_pages_only_lead_back_inside_the_site() {
        assert_eq!(
            problem_page(EidProblem::Mismatch, "/procedures/x"),
            "/identification?problem=mismatch&back=%2Fprocedures%2Fx"
        );
        assert_eq!(
            problem_page(EidProblem::Level, "https://evil.example"),
            "/identification?problem=level&back=%2Fdashboard"
        );
    }
}
