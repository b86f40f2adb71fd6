//! The URLs of the configuration: what `SMTP_URL` means for TLS, which `BASE_URL` is this
//! machine, and how a URL is printed without its password.
use url::Url;

/// The URL lettre is given for `SMTP_URL`. `smtp://` means STARTTLS, and TLS is required
/// (lettre's default for `smtp://` is clear text, and its "opportunistic" mode sends in clear
/// to whoever strips the STARTTLS offer: reset links would travel readable). A relay without
/// TLS (on this machine or network) must say so with `?tls=none`.
pub(super) fn smtp_with_tls(mut url: Url) -> Result<String, &'static str> {
    if url.scheme() == "smtps" {
        return Ok(url.to_string());
    }
    let tls = url
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.into_owned());
    let others: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != "tls")
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let tls = match tls.as_deref() {
        None | Some("required") => Some("required"),
        Some("none") => None,
        Some(_) => {
            return Err(
                "use tls=required (the default), or tls=none for a relay without TLS on \
                 this network: tls=opportunistic can be stripped by anyone on the way",
            )
        }
    };
    url.set_query(None);
    if !others.is_empty() || tls.is_some() {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in &others {
            pairs.append_pair(key, value);
        }
        if let Some(tls) = tls {
            pairs.append_pair("tls", tls);
        }
    }
    Ok(url.to_string())
}

/// `localhost`, `127.x.y.z` or `[::1]`.
pub(super) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Hides the password of a database or SMTP URL before it is printed.
pub(super) fn redact_password(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}
