//! Numbers as people read them.

/// A file's size as people read it: `12 Ko`, `1.5 Mo`.
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} Ko", (bytes + 1023) / 1024)
    }
}
