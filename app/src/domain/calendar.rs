//! Days as the administration counts them: civil dates as days since 1970-01-01, Belgian
//! public holidays, and deadlines in working days (Monday to Friday, holidays left out).
//! Pure arithmetic, the same in the browser and on the server.

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `24/12/2026`, as the rest of the espace writes dates.
pub fn format_day(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{day:02}/{month:02}/{year}")
}

/// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

/// Easter Sunday of a year (the anonymous Gregorian algorithm), as days since 1970-01-01.
fn easter(year: i64) -> i64 {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    days_from_civil(year, month as u32, day as u32)
}

/// The ten legal public holidays of Belgium: New Year, Easter Monday, Labour Day, Ascension,
/// Whit Monday, the National Day, the Assumption, All Saints, Armistice Day, Christmas.
pub fn is_public_holiday(days: i64) -> bool {
    let (year, month, day) = civil_from_days(days);
    let fixed = [
        (1, 1),
        (5, 1),
        (7, 21),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ];
    let easter = easter(year);
    fixed.contains(&(month, day)) || [easter + 1, easter + 39, easter + 50].contains(&days)
}

/// A working day: Monday to Friday, not a public holiday.
pub fn is_working_day(days: i64) -> bool {
    weekday(days) < 5 && !is_public_holiday(days)
}

/// The day `n` working days after `from` (the day itself not counted).
pub fn add_working_days(from: i64, n: u32) -> i64 {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day += 1;
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn easter_and_the_holidays_that_follow_it() {
        assert_eq!(easter(2026), days_from_civil(2026, 4, 5));
        assert_eq!(easter(2027), days_from_civil(2027, 3, 28));
        assert!(
            is_public_holiday(days_from_civil(2026, 4, 6)),
            "Easter Monday"
        );
        assert!(is_public_holiday(days_from_civil(2026, 5, 14)), "Ascension");
        assert!(
            is_public_holiday(days_from_civil(2026, 5, 25)),
            "Whit Monday"
        );
        assert!(
            is_public_holiday(days_from_civil(2026, 7, 21)),
            "National Day"
        );
        assert!(!is_public_holiday(days_from_civil(2026, 7, 22)));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Thursday 3 December 2026, 15 working days: 24 December.
        let thursday = days_from_civil(2026, 12, 3);
        assert_eq!(weekday(thursday), 3);
        assert_eq!(format_day(add_working_days(thursday, 15)), "24/12/2026");
        // Wednesday 23 December, 2 working days: Christmas and the weekend are skipped.
        let before_christmas = days_from_civil(2026, 12, 23);
        assert_eq!(
            format_day(add_working_days(before_christmas, 2)),
            "28/12/2026"
        );
        // Friday 31 December 2027, one working day: not New Year's Day, the Monday after.
        let new_year_eve = days_from_civil(2027, 12, 31);
        assert_eq!(format_day(add_working_days(new_year_eve, 1)), "03/01/2028");
    }

    proptest! {
        #[test]
        fn civil_dates_round_trip(days in -100_000i64..100_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }

        #[test]
        fn a_deadline_is_a_working_day_after_its_start(from in 0i64..40_000, n in 1u32..60) {
            let deadline = add_working_days(from, n);
            prop_assert!(deadline > from);
            prop_assert!(is_working_day(deadline));
        }
    }
}
