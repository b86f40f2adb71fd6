//! Who may see which page: the one list of it, beside the routes (`app.rs`). The session
//! middleware sends a signed-out visitor of a page that [`needs_sign_in`] to /login; a test of
//! the server walks the routes and fails on a page that is in neither list.
//!
//! It sits at the bottom of the layers (paths only, no dependencies): the routes, the
//! session middleware and the sign-in all read it.
/// The pages open to everyone (the catalogue too: filing needs an account).
pub const PUBLIC: [&str; 12] = [
    "/",
    "/help",
    "/terms",
    "/accessibility",
    "/register",
    "/register/check-email",
    "/login",
    "/verify-email",
    "/forgot-password",
    "/reset-password",
    "/procedures",
    "/identification",
];

/// The pages only a signed-in person may see: each of these and everything under it.
pub const SIGNED_IN: [&str; 8] = [
    "/dashboard",
    "/account",
    "/organisations",
    "/profiles",
    "/notifications",
    "/requests",
    "/backoffice",
    "/procedures/",
];

/// Where an account whose address is not confirmed yet is sent from any other signed-in
/// page: it says so and offers a new link.
pub const VERIFY_FIRST: &str = "/register/check-email";

/// The signed-in pages an account may open before its address is confirmed: its
/// security page (to change the address) and its data (to delete itself). The public
/// pages (help, the confirmation link) stay open too.
pub const BEFORE_VERIFICATION: [&str; 2] = ["/account/security", "/account/data"];

/// Whether an account whose address is not confirmed yet may open `path`.
pub fn open_before_verification(path: &str) -> bool {
    !needs_sign_in(path) || BEFORE_VERIFICATION.contains(&path)
}

/// Whether `path` is a page only a signed-in person may see.
pub fn needs_sign_in(path: &str) -> bool {
    SIGNED_IN.iter().any(|prefix| {
        if prefix.ends_with('/') {
            // "/procedures/": what is under it (a procedure's form), not the catalogue.
            path.starts_with(prefix)
        } else {
            path == *prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_under_a_signed_in_prefix_need_sign_in() {
        for path in [
            "/dashboard",
            "/account/security",
            "/organisations/new/details",
            "/profiles/entreprise",
            "/procedures/changement-adresse",
            "/requests/2026-000001",
            "/backoffice/requests/2026-000001",
        ] {
            assert!(needs_sign_in(path), "{path}");
        }
    }

    #[test]
    fn public_pages_and_look_alikes_do_not() {
        for path in PUBLIC {
            assert!(!needs_sign_in(path), "{path}");
        }
        for path in ["/dashboards", "/accounting", "/requestsx", "/procedure"] {
            assert!(!needs_sign_in(path), "{path}");
        }
    }
}
