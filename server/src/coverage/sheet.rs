//! A coverage report as CSV: UTF-8 with a byte-order mark, so spreadsheet programs read
//! Vietnamese, and every cell a spreadsheet could take for a formula neutralised.

use app::domain::time::vietnam_date_time;
use app::people::{CoverageData, COVERAGE_COLUMNS, TARGET_COLUMNS};

/// Makes Excel and LibreOffice read the file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// One cell: a text a spreadsheet would run as a formula (`= + - @`, or a tab or a
/// carriage return first) gets a leading `'`; quoted when it holds a comma, a quote or
/// a line break.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn line<S: AsRef<str>>(out: &mut String, cells: impl IntoIterator<Item = S>) {
    let cells: Vec<String> = cells.into_iter().map(|c| cell(c.as_ref())).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// The report in `lang` (`t` looks up content/ui strings): what, where, when, what it
/// counts; the places; the targets; the trend; people learning by age and group.
pub fn report(data: &CoverageData, lang: &str, t: impl Fn(&str) -> String) -> String {
    let mut out = String::from(BOM);
    let period = data.period.label(&t);
    line(&mut out, [t("coverage.report"), data.place.clone(), period]);
    line(
        &mut out,
        [t("coverage.as_of").replace("{time}", &vietnam_date_time(data.as_of_ms))],
    );
    let (basic, identity) = data
        .texts
        .get(lang)
        .or_else(|| data.texts.values().next())
        .cloned()
        .unwrap_or_default();
    line(&mut out, [basic]);
    line(&mut out, [identity]);
    line(&mut out, [t("coverage.small")]);
    out.push_str("\r\n");
    line(
        &mut out,
        std::iter::once(t("coverage.col.place")).chain(
            COVERAGE_COLUMNS
                .iter()
                .map(|k| t(&format!("coverage.col.{k}"))),
        ),
    );
    for r in data.rows.iter().chain([&data.total]) {
        let name = if std::ptr::eq(r, &data.total) {
            t("coverage.total")
        } else {
            r.name.clone()
        };
        line(
            &mut out,
            std::iter::once(name).chain(r.cells().iter().map(|c| c.to_string())),
        );
    }
    out.push_str("\r\n");
    line(
        &mut out,
        std::iter::once(t("coverage.targets").replace("{year}", &data.year.to_string())).chain(
            TARGET_COLUMNS
                .iter()
                .map(|k| t(&format!("coverage.target.{k}"))),
        ),
    );
    for r in &data.targets {
        line(
            &mut out,
            std::iter::once(t(&format!("coverage.measure.{}", r.measure)))
                .chain(r.cells().iter().map(|c| c.to_string())),
        );
    }
    out.push_str("\r\n");
    line(
        &mut out,
        [
            t("coverage.trend.quarter"),
            t("coverage.measure.adults_basic_skills"),
            t("coverage.col.identity_confirmed"),
            t("coverage.col.digital_families"),
        ],
    );
    for p in &data.trend {
        line(
            &mut out,
            [
                p.quarter.label(&t),
                p.adults_basic.clone(),
                p.identity_confirmed.clone(),
                p.digital_families.clone(),
            ],
        );
    }
    out.push_str("\r\n");
    line(
        &mut out,
        [t("coverage.learning_title"), t("coverage.col.learning")],
    );
    for (key, n) in &data.learning {
        line(&mut out, [t(key), n.clone()]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_never_runs_as_a_formula() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("Xã Bình Lư"), "Xã Bình Lư");
        assert_eq!(cell("< 5"), "< 5");
        assert_eq!(cell("1,5"), "\"1,5\"");
        assert_eq!(cell("—"), "—");
    }

    #[test]
    fn a_report_starts_with_the_byte_order_mark_and_names_its_period() {
        let data = CoverageData {
            place: "Xã =Thử".into(),
            province: false,
            rows: vec![],
            total: Default::default(),
            texts: Default::default(),
            as_of_ms: 0,
            pending: 0,
            year: 2026,
            targets: vec![],
            population: vec![],
            period: app::people::ReportPeriod {
                name: "2026-Q3".into(),
                ..Default::default()
            },
            choices: vec![],
            trend: vec![],
            learning: vec![],
        };
        let text = report(&data, "vi", |k| match k {
            "coverage.period.quarter" => "Quý {n}/{year}".into(),
            k => k.to_string(),
        });
        assert!(text.starts_with("\u{feff}coverage.report,Xã =Thử,Quý 3/2026\r\n"));
        assert!(text.lines().all(|l| !l.starts_with('=')));
    }
}
