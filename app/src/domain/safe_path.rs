//! Where a person may be sent back to after a detour (identification, sign-in): a path of
//! this site, nothing else.

/// Where the person may be brought back to: a path of this site, nothing else (anything
/// else becomes the dashboard).
pub fn safe_return_to(path: &str) -> String {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path.len() <= 500;
    if ok {
        path.to_string()
    } else {
        "/dashboard".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_return_addresses() {
        assert_eq!(safe_return_to("/procedures/x?a=1"), "/procedures/x?a=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "",
            "x",
            "/a\nb",
        ] {
            assert_eq!(safe_return_to(bad), "/dashboard", "{bad:?}");
        }
    }
}
