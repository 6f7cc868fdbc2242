//! The province's places as data: the list of communes a deployment starts with
//! (`content/places/`), and the lists of villages officials import — a small CSV of
//! `kind,name` rows — read, checked and compared with what is already there, so an import
//! can be repeated and says what it changed.

use std::collections::BTreeSet;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// The longest name of a place.
pub const MAX_NAME_CHARS: usize = 80;
/// The most rows one import takes (a commune has tens of villages).
pub const MAX_ROWS: usize = 2000;

/// A name made comparable: Unicode-composed (a file may spell "Mường" with combining
/// marks), spaces collapsed, lowercase. Renaming changes a place's name; this key only
/// tells whether two spellings are the same place.
pub fn name_key(name: &str) -> String {
    name.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A name as it will be kept: composed, trimmed, spaces collapsed.
pub fn clean_name(name: &str) -> String {
    name.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a place's name or kind cannot be kept, if it cannot.
pub fn name_problem(name: &str) -> Option<&'static str> {
    let clean = clean_name(name);
    if clean.is_empty() {
        Some("empty_name")
    } else if clean.chars().count() > MAX_NAME_CHARS {
        Some("name_too_long")
    } else if !app::domain::profile::is_plain_text(&clean) {
        Some("bad_characters")
    } else {
        None
    }
}

/// One row of a places file, with its line number (1 is the header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub kind: String,
    pub name: String,
}

/// What an import would do: rows to add, rows already there, rows it cannot take.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub add: Vec<Row>,
    pub present: Vec<Row>,
    /// (line, problem code)
    pub problems: Vec<(usize, &'static str)>,
}

/// Reads a `kind,name` CSV (a header line first; fields may be quoted, `""` inside
/// quotes is a quote) and compares it with the names already there (as `name_key`s).
pub fn plan(csv: &str, existing: &BTreeSet<String>) -> Plan {
    let mut plan = Plan::default();
    let mut seen = BTreeSet::new();
    let mut lines = csv.trim_start_matches('\u{feff}').lines().enumerate();
    match lines.next() {
        Some((_, header)) if header_ok(header) => {}
        _ => {
            plan.problems.push((1, "header"));
            return plan;
        }
    }
    for (i, line) in lines {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        if plan.add.len() + plan.present.len() >= MAX_ROWS {
            plan.problems.push((number, "too_many_rows"));
            break;
        }
        let Some(fields) = fields(line) else {
            plan.problems.push((number, "bad_quotes"));
            continue;
        };
        let [kind, name] = fields.as_slice() else {
            plan.problems.push((number, "columns"));
            continue;
        };
        if let Some(problem) = name_problem(name).or_else(|| name_problem(kind)) {
            plan.problems.push((number, problem));
            continue;
        }
        let key = name_key(name);
        if !seen.insert(key.clone()) {
            plan.problems.push((number, "repeated"));
            continue;
        }
        let row = Row {
            line: number,
            kind: clean_name(kind),
            name: clean_name(name),
        };
        if existing.contains(&key) {
            plan.present.push(row);
        } else {
            plan.add.push(row);
        }
    }
    plan
}

fn header_ok(header: &str) -> bool {
    fields(header)
        .is_some_and(|f| f.len() == 2 && name_key(&f[0]) == "kind" && name_key(&f[1]) == "name")
}

/// The fields of one CSV line, or `None` if its quotes do not close.
fn fields(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, ',') => out.push(std::mem::take(&mut field)),
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    out.push(field);
    Some(out)
}

/// The province a deployment serves and its communes, from `content/places/`.
pub struct Province {
    pub name: String,
    pub communes: Vec<Row>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlacesError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0} is not valid: {1}")]
    Parse(String, String),
}

#[derive(serde::Deserialize)]
struct ProvinceFile {
    name: String,
    communes: String,
}

/// Reads `places/province.toml` and the communes file it names; refuses a file with any
/// problem, naming its lines.
pub fn load(content_dir: &Path) -> Result<Province, PlacesError> {
    let dir = content_dir.join("places");
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|e| PlacesError::Read(path.display().to_string(), e))
    };
    let path = dir.join("province.toml");
    let file: ProvinceFile = toml::from_str(&read(&path)?)
        .map_err(|e| PlacesError::Parse(path.display().to_string(), e.to_string()))?;
    let csv_path = dir.join(&file.communes);
    let plan = plan(&read(&csv_path)?, &BTreeSet::new());
    if !plan.problems.is_empty() {
        let lines: Vec<String> = plan
            .problems
            .iter()
            .map(|(line, p)| format!("line {line}: {p}"))
            .collect();
        return Err(PlacesError::Parse(
            csv_path.display().to_string(),
            lines.join(", "),
        ));
    }
    Ok(Province {
        name: clean_name(&file.name),
        communes: plan.add,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_place_spelled_two_ways_is_one_place() {
        let composed = "Mường Kim";
        let decomposed = "Mu\u{031b}o\u{031b}\u{0300}ng  kim ";
        assert_eq!(name_key(composed), name_key(decomposed));
        assert_eq!(clean_name(decomposed), "Mường kim");
    }

    #[test]
    fn an_import_says_what_it_adds_what_is_there_and_what_it_cannot_take() {
        let existing: BTreeSet<String> = [name_key("Bản Hon")].into();
        let csv = "\u{feff}kind,name\nbản,Bản Hon\nbản,\"Nà Khum, Trên\"\n\n\
                   thôn,\nbản,Bản Hon\nbản,\"unclosed\ntổ dân phố,Tổ 5,extra\n";
        let plan = plan(csv, &existing);
        assert_eq!(plan.present.len(), 1);
        assert_eq!(
            plan.add,
            vec![Row {
                line: 3,
                kind: "bản".into(),
                name: "Nà Khum, Trên".into()
            }]
        );
        assert_eq!(
            plan.problems,
            vec![
                (5, "empty_name"),
                (6, "repeated"),
                (7, "bad_quotes"),
                (8, "columns")
            ]
        );
    }

    #[test]
    fn a_file_without_the_header_is_refused_whole() {
        let plan = plan("bản,Bản Hon\n", &BTreeSet::new());
        assert_eq!(plan.problems, vec![(1, "header")]);
        assert!(plan.add.is_empty());
    }

    #[test]
    fn the_provinces_own_list_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let province = load(&dir).unwrap();
        assert_eq!(province.name, "Lai Châu");
        assert_eq!(province.communes.len(), 38);
        assert_eq!(
            province
                .communes
                .iter()
                .filter(|c| c.kind == "phường")
                .count(),
            2
        );
    }
}
