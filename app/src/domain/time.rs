//! Times as people read them. The app keeps epoch milliseconds; pages show Vietnam's
//! clock (UTC+7 all year), exports an unambiguous UTC time.

/// Vietnam's offset from UTC: seven hours, no daylight saving.
pub const VIETNAM_OFFSET_MS: i64 = 7 * 3600 * 1000;

/// (year, month, day, hour, minute, second) of `ms` after the epoch, in UTC.
pub fn civil(ms: i64) -> (i64, i64, i64, i64, i64, i64) {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days to civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Days after 1970-01-01 of a civil date (the inverse of `civil`'s date part).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The first millisecond of a day on Vietnam's clock.
pub fn vietnam_day_start(year: i64, month: i64, day: i64) -> i64 {
    days_from_civil(year, month, day) * 86_400_000 - VIETNAM_OFFSET_MS
}

/// `2026-11-28T14:05:09Z`.
pub fn iso_utc(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `28/11/2026 21:05`, on Vietnam's clock: how dates are written there.
pub fn vietnam_date_time(ms: i64) -> String {
    let (y, mo, d, h, mi, _) = civil(ms + VIETNAM_OFFSET_MS);
    format!("{d:02}/{mo:02}/{y:04} {h:02}:{mi:02}")
}

/// `2026-11-28`: the day of `ms` on Vietnam's clock, as a date input writes it.
pub fn vietnam_day(ms: i64) -> String {
    let (y, mo, d, ..) = civil(ms + VIETNAM_OFFSET_MS);
    format!("{y:04}-{mo:02}-{d:02}")
}

/// `28/11/2026` from `2026-11-28` (anything else is shown as it is).
pub fn day_as_read(day: &str) -> String {
    match day.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => day.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_dates() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_796_487_909_000), "2026-12-05T16:25:09Z");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(vietnam_date_time(1_796_487_909_000), "05/12/2026 23:25");
        assert_eq!(vietnam_date_time(1_796_490_000_000), "06/12/2026 00:00");
        // 23:25 in UTC is already the next day in Vietnam.
        assert_eq!(vietnam_day(1_796_487_909_000), "2026-12-05");
        assert_eq!(vietnam_day(1_796_490_000_000), "2026-12-06");
        assert_eq!(day_as_read("2026-12-06"), "06/12/2026");
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 2, 29) * 86_400_000, 951_782_400_000);
        // Midnight in Vietnam is 17:00 the day before in UTC.
        assert_eq!(
            iso_utc(vietnam_day_start(2026, 12, 6)),
            "2026-12-05T17:00:00Z"
        );
        assert_eq!(vietnam_day(vietnam_day_start(2026, 12, 6)), "2026-12-06");
    }
}
