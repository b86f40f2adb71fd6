//! Time as stored (milliseconds since 1970, UTC) and as a Brussels clock shows it.
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since 1970-01-01 UTC: how times are stored.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A time stored in milliseconds, as a Brussels clock shows it: `27/11/2026 14:05`.
pub fn brussels_time(ms: i64) -> String {
    brussels(ms, "%d/%m/%Y %H:%M")
}

/// The Brussels date of a time stored in milliseconds: `27/11/2026`.
pub fn brussels_date(ms: i64) -> String {
    brussels(ms, "%d/%m/%Y")
}

/// The Brussels time of day of a time stored in milliseconds: `14:05`.
pub fn brussels_clock(ms: i64) -> String {
    brussels(ms, "%H:%M")
}

/// The Brussels day of a time stored in milliseconds, as days since 1970-01-01 (what
/// [`crate::domain::calendar`] counts with).
pub fn brussels_day(ms: i64) -> Option<i64> {
    let timestamp = jiff::Timestamp::from_millisecond(ms).ok()?;
    let zone = jiff::tz::TimeZone::get("Europe/Brussels").ok()?;
    let date = timestamp.to_zoned(zone).date();
    let (month, day) = (
        u32::try_from(date.month()).ok()?,
        u32::try_from(date.day()).ok()?,
    );
    Some(crate::domain::calendar::days_from_civil(
        i64::from(date.year()),
        month,
        day,
    ))
}

fn brussels(ms: i64, format: &str) -> String {
    let Ok(timestamp) = jiff::Timestamp::from_millisecond(ms) else {
        return String::new();
    };
    match jiff::tz::TimeZone::get("Europe/Brussels") {
        Ok(zone) => timestamp.to_zoned(zone).strftime(format).to_string(),
        Err(_) => format!("{} UTC", timestamp.strftime(format)),
    }
}
