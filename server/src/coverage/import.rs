//! Populations pasted from a spreadsheet (issue 11: denominators "entered or imported by
//! officials"): one line per place — its name as the app lists it ("xã Phong Thổ" or
//! "Phong Thổ") then adults, public-sector staff, pupils and students, workers — cells
//! split by tabs (what a spreadsheet copies), semicolons or commas (then a number with
//! commas in it is quoted, as spreadsheets write CSV). A first line that is
//! a header is skipped; an empty cell changes nothing (unlike the form). Plain functions:
//! the route checks the places and saves every line or none.

use super::rules::POPULATIONS;

/// Most lines one paste may hold: more than any commune has villages or the province
/// communes.
pub const MAX_LINES: usize = 500;

/// One place's populations, in the order of `POPULATIONS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Its number in the paste, from 1.
    pub number: usize,
    pub place: String,
    pub people: [Option<i64>; POPULATIONS.len()],
}

/// Why a paste was refused, and on which line (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportError {
    Empty,
    TooLong,
    /// Not a place name followed by at most four numbers in range.
    Line(usize),
}

/// "1.234", "1,234" and "1 234" are all 1234: separators people type in big numbers,
/// only between groups of three digits ("12.5" is not a number of people).
fn number(cell: &str, max: i64) -> Result<Option<i64>, ()> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    let groups: Vec<&str> = cell.split(['.', ',', ' ', '\u{a0}']).collect();
    let digits = |g: &&str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !groups.iter().all(digits) || !grouped {
        return Err(());
    }
    match groups.concat().parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(Some(n)),
        _ => Err(()),
    }
}

/// A line's cells split at `sep`, a quoted cell (`"1,234"`) kept whole.
fn split(line: &str, sep: char) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().expect("one cell").push('"');
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => cells.push(String::new()),
            c => cells.last_mut().expect("one cell").push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The lines of a paste, each population at most `max`.
pub fn parse(text: &str, max: i64) -> Result<Vec<Line>, ImportError> {
    let mut out = Vec::new();
    let mut first = true;
    for (n, raw) in text.lines().enumerate() {
        let raw = raw.trim_matches(['\u{feff}', '\r', ' ']);
        if raw.is_empty() {
            continue;
        }
        let sep = if raw.contains('\t') {
            '\t'
        } else if raw.contains(';') {
            ';'
        } else {
            ','
        };
        let cells = split(raw, sep);
        let (place, numbers) = cells.split_first().expect("split gives one cell at least");
        let was_first = std::mem::replace(&mut first, false);
        if place.is_empty() || numbers.len() > POPULATIONS.len() {
            return Err(ImportError::Line(n + 1));
        }
        let mut people = [None; POPULATIONS.len()];
        let mut bad = false;
        for (slot, cell) in people.iter_mut().zip(numbers) {
            match number(cell, max) {
                Ok(v) => *slot = v,
                Err(()) => bad = true,
            }
        }
        if bad {
            // A header ("Xã, Người từ 16 tuổi, …") is the first line, with words.
            let words = |c: &String| c.chars().any(char::is_alphabetic);
            if was_first && numbers.iter().any(words) {
                continue;
            }
            return Err(ImportError::Line(n + 1));
        }
        out.push(Line {
            number: n + 1,
            place: place.to_string(),
            people,
        });
        if out.len() > MAX_LINES {
            return Err(ImportError::TooLong);
        }
    }
    if out.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(out)
}

/// A place name as people type it: lower case, single spaces.
pub fn plain(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spreadsheets_lines_become_populations() {
        let pasted = "Xã\tNgười từ 16 tuổi\tCán bộ\tHọc sinh\tLao động\n\
                      xã Phong Thổ\t12.345\t\t2 100\t800\n\
                      \n\
                      Sìn Hồ;9,000;310\n";
        let lines = parse(pasted, 20_000_000).unwrap();
        assert_eq!(
            lines,
            vec![
                Line {
                    number: 2,
                    place: "xã Phong Thổ".into(),
                    people: [Some(12_345), None, Some(2_100), Some(800)],
                },
                Line {
                    number: 4,
                    place: "Sìn Hồ".into(),
                    people: [Some(9_000), Some(310), None, None],
                },
            ]
        );
        assert_eq!(plain("  Xã   PHONG Thổ "), "xã phong thổ");
        let csv = parse("\"Phong Thổ\",\"1,234\",7\n", 20_000_000).unwrap();
        assert_eq!(csv[0].people, [Some(1_234), Some(7), None, None]);
    }

    #[test]
    fn a_wrong_line_is_named() {
        assert_eq!(parse("", 100), Err(ImportError::Empty));
        assert_eq!(parse("Xã\tNgười lớn\n", 100), Err(ImportError::Empty));
        assert_eq!(parse("A\t5\nB\tnhiều\n", 100), Err(ImportError::Line(2)));
        assert_eq!(parse("A\t-5\n", 100), Err(ImportError::Line(1)));
        assert_eq!(parse("A\t101\n", 100), Err(ImportError::Line(1)));
        assert_eq!(
            parse("A\t12.5\n", 100),
            Err(ImportError::Line(1)),
            "not people"
        );
        assert_eq!(parse("A\t1.2345\n", 100_000), Err(ImportError::Line(1)));
        assert_eq!(parse("A\t1\t2\t3\t4\t5\n", 100), Err(ImportError::Line(1)));
        assert_eq!(parse("\t5\n", 100), Err(ImportError::Line(1)));
        let many = "A\t1\n".repeat(MAX_LINES + 1);
        assert_eq!(parse(&many, 100), Err(ImportError::TooLong));
    }
}
