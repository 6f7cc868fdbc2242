//! The periods a report covers: a quarter, a half-year or a year — what the plan's
//! officials report every quarter, six months and year (its section VI) — or any range
//! of days, on Vietnam's clock. Plain functions of dates, tested without a database.

use app::domain::time::{civil, vietnam_day_start, VIETNAM_OFFSET_MS};

/// The years a report can be asked for: the plan's (2025, 2026) and the years after.
pub const YEARS: std::ops::RangeInclusive<i64> = 2025..=2035;

/// A civil date (year, month, day).
pub type Date = (i64, i64, i64);

/// The days a report covers, both ends included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// How it is asked for and named: `2026-Q3`, `2026-H1`, `2026`, or
    /// `2026-07-01..2026-08-15`.
    pub name: String,
    pub from: Date,
    pub to: Date,
}

/// The reader asked for a period that is not one.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPeriod;

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn months(name: String, year: i64, first: i64, last: i64) -> Period {
    Period {
        name,
        from: (year, first, 1),
        to: (year, last, days_in(year, last)),
    }
}

/// `2026-07-01` as a date, if it is one.
fn date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    ((1..=12).contains(&m) && (1..=days_in(y, m)).contains(&d)).then_some((y, m, d))
}

/// Vietnam's date of `ms`.
pub fn date_of(ms: i64) -> Date {
    let (y, m, d, ..) = civil(ms + VIETNAM_OFFSET_MS);
    (y, m, d)
}

impl Period {
    pub fn quarter(year: i64, q: i64) -> Period {
        months(format!("{year}-Q{q}"), year, q * 3 - 2, q * 3)
    }

    pub fn half(year: i64, h: i64) -> Period {
        months(format!("{year}-H{h}"), year, h * 6 - 5, h * 6)
    }

    pub fn year(year: i64) -> Period {
        months(year.to_string(), year, 1, 12)
    }

    /// The quarter holding `ms`.
    pub fn quarter_of(ms: i64) -> Period {
        let (y, m, _) = date_of(ms);
        Period::quarter(y, (m + 2) / 3)
    }

    /// A period by its name, or a range of two dates (`from` ≤ `to`); within `YEARS`.
    pub fn parse(name: &str, from: &str, to: &str) -> Result<Period, BadPeriod> {
        let period = if !from.trim().is_empty() || !to.trim().is_empty() {
            let (from, to) = (date(from).ok_or(BadPeriod)?, date(to).ok_or(BadPeriod)?);
            if from > to {
                return Err(BadPeriod);
            }
            let show = |(y, m, d): Date| format!("{y:04}-{m:02}-{d:02}");
            Period {
                name: format!("{}..{}", show(from), show(to)),
                from,
                to,
            }
        } else {
            let name = name.trim();
            let (year, part) = name.split_once('-').unwrap_or((name, ""));
            let year: i64 = year.parse().map_err(|_| BadPeriod)?;
            match (part.get(..1), part.get(1..).map(str::parse::<i64>)) {
                (None, _) => Period::year(year),
                (Some("Q"), Some(Ok(q @ 1..=4))) => Period::quarter(year, q),
                (Some("H"), Some(Ok(h @ 1..=2))) => Period::half(year, h),
                _ => return Err(BadPeriod),
            }
        };
        if YEARS.contains(&period.from.0) && YEARS.contains(&period.to.0) {
            Ok(period)
        } else {
            Err(BadPeriod)
        }
    }

    /// The first millisecond of the period.
    pub fn start_ms(&self) -> i64 {
        let (y, m, d) = self.from;
        vietnam_day_start(y, m, d)
    }

    /// The last millisecond of the period: a report counts what was reached by then.
    pub fn end_ms(&self) -> i64 {
        let (y, m, d) = self.to;
        vietnam_day_start(y, m, d) + 86_400_000 - 1
    }

    /// The year whose targets the period is measured against: the year it ends in.
    pub fn target_year(&self) -> i32 {
        i32::try_from(self.to.0).unwrap_or(2026)
    }

    /// Holds 10 October, the national day of digital transformation, which the plan's
    /// digital-learning festival answers each year (its IV.1.3).
    pub fn has_festival(&self) -> bool {
        (self.from.0..=self.to.0).any(|y| (self.from..=self.to).contains(&(y, 10, 10)))
    }

    /// `2026-07-01`, for a date field.
    pub fn from_day(&self) -> String {
        let (y, m, d) = self.from;
        format!("{y:04}-{m:02}-{d:02}")
    }

    pub fn to_day(&self) -> String {
        let (y, m, d) = self.to;
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// The `n` quarters up to the one holding `ms`, oldest first, not before the plan's
/// first year: the points of a report's trend.
pub fn quarters_to(ms: i64, n: usize) -> Vec<Period> {
    let last = Period::quarter_of(ms);
    let (mut year, mut q) = (last.from.0, (last.from.1 + 2) / 3);
    let mut out = Vec::new();
    while out.len() < n && YEARS.contains(&year) {
        out.push(Period::quarter(year, q));
        (year, q) = if q == 1 { (year - 1, 4) } else { (year, q - 1) };
    }
    out.reverse();
    out
}

/// The periods offered for choosing: this year's and last year's quarters, halves and
/// years, newest first, none after `now`'s quarter.
pub fn choices(now_ms: i64) -> Vec<Period> {
    let (year, ..) = date_of(now_ms);
    let now = Period::quarter_of(now_ms);
    let mut out = Vec::new();
    for y in [year, year - 1].into_iter().filter(|y| YEARS.contains(y)) {
        out.extend((1..=4).rev().map(|q| Period::quarter(y, q)));
        out.extend((1..=2).rev().map(|h| Period::half(y, h)));
        out.push(Period::year(y));
    }
    out.retain(|p| p.from <= now.from);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::time::iso_utc;

    #[test]
    fn periods_are_named_as_officials_report_them() {
        let q = Period::parse("2026-Q3", "", "").unwrap();
        assert_eq!((q.from, q.to), ((2026, 7, 1), (2026, 9, 30)));
        // On Vietnam's clock: the quarter starts at 17:00 UTC the day before.
        assert_eq!(iso_utc(q.start_ms()), "2026-06-30T17:00:00Z");
        assert_eq!(iso_utc(q.end_ms() + 1), "2026-09-30T17:00:00Z");
        let h = Period::parse("2025-H2", "", "").unwrap();
        assert_eq!((h.from, h.to), ((2025, 7, 1), (2025, 12, 31)));
        let y = Period::parse("2028", "", "").unwrap();
        assert_eq!((y.from, y.to), ((2028, 1, 1), (2028, 12, 31)));
        let r = Period::parse("2026", "2026-02-03", "2026-02-28").unwrap();
        assert_eq!(r.name, "2026-02-03..2026-02-28", "dates win over a name");
        assert_eq!(Period::parse("2028-Q1", "", "").unwrap().to, (2028, 3, 31));
        assert_eq!(Period::half(2028, 1).to, (2028, 6, 30));
        assert_eq!(Period::quarter(2024, 1).target_year(), 2024);
    }

    #[test]
    fn what_is_not_a_period_is_refused() {
        for (name, from, to) in [
            ("2026-Q5", "", ""),
            ("2026-H3", "", ""),
            ("2026-Q", "", ""),
            ("Q3", "", ""),
            ("2024", "", ""),
            ("2099-Q1", "", ""),
            ("", "2026-02-30", "2026-03-01"),
            ("", "2026-05-01", "2026-04-01"),
            ("", "2026-05-01", ""),
            ("", "2024-12-01", "2025-01-31"),
            ("", "=1+1", "2026-01-01"),
        ] {
            assert_eq!(
                Period::parse(name, from, to),
                Err(BadPeriod),
                "{name} {from} {to}"
            );
        }
    }

    #[test]
    fn the_festival_and_the_trend() {
        assert!(Period::quarter(2026, 4).has_festival());
        assert!(!Period::quarter(2026, 3).has_festival());
        assert!(Period::year(2025).has_festival());
        assert!(!Period::parse("", "2026-10-11", "2027-10-09")
            .unwrap()
            .has_festival());
        assert!(Period::parse("", "2026-10-11", "2027-10-10")
            .unwrap()
            .has_festival());
        let q3 = Period::quarter(2026, 3).end_ms();
        let names: Vec<String> = quarters_to(q3, 8).into_iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"],
            "not before the plan's first year"
        );
        let offered = choices(Period::quarter(2026, 2).start_ms());
        assert_eq!(offered[0].name, "2026-Q2", "nothing after this quarter");
        assert!(offered.iter().any(|p| p.name == "2025"));
    }
}
