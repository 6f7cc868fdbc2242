//! What the coverage reports count and the plan's targets, read from
//! `content/coverage.toml` and checked against the rest of the content: the definitions
//! live in content, where trainers change them, and here they become lists of lessons
//! and checklist items.

use crate::content::ContentError;
use app::domain::content::Content;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The populations an area's denominators are entered for, and the measure each is the
/// denominator of (`identity_confirmed` is counted against adults too).
pub const POPULATIONS: [(&str, &str); 4] = [
    ("adults", "adults_basic_skills"),
    ("officials", "officials_basic_skills"),
    ("pupils", "pupils_basic_skills"),
    ("workers", "workers_basic_skills"),
];

/// The measures a target can be set for.
pub const MEASURES: [&str; 5] = [
    "adults_basic_skills",
    "identity_confirmed",
    "officials_basic_skills",
    "pupils_basic_skills",
    "workers_basic_skills",
];

#[derive(Clone, Debug, Deserialize)]
struct File {
    basic_skills_track: String,
    family_track: String,
    family_checklist: String,
    identity_checklist: String,
    identity_item: String,
    trader_checklist: String,
    text: BTreeMap<String, Texts>,
    #[serde(default)]
    target: Vec<Target>,
}

/// The lines a report says about what it counts, in one language.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Texts {
    pub basic_skills: String,
    pub identity: String,
}

/// One of the plan's targets for the whole province.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub measure: String,
    pub year: i32,
    /// A share of the measure's denominator, in per cent.
    #[serde(default)]
    pub percent: Option<u32>,
    /// A number of people.
    #[serde(default)]
    pub count: Option<u64>,
}

/// The rules, with the content's lists resolved.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Lessons a person must have done for basic digital skills.
    pub basic_skills_lessons: Vec<String>,
    /// Lessons a member must have done for the household to be a digital family.
    pub family_lessons: Vec<String>,
    pub family_checklist: String,
    pub family_items: Vec<String>,
    pub identity_checklist: String,
    pub identity_item: String,
    pub trader_checklist: String,
    pub trader_items: Vec<String>,
    pub texts: BTreeMap<String, Texts>,
    pub targets: Vec<Target>,
}

/// Reads `coverage.toml` from the content folder and checks it against `content`.
pub fn load(dir: &Path, content: &Content) -> Result<Rules, ContentError> {
    let path = dir.join("coverage.toml");
    let text = std::fs::read_to_string(&path).map_err(|source| ContentError::Read {
        path: path.clone(),
        source,
    })?;
    let file: File = toml::from_str(&text).map_err(|source| ContentError::Parse {
        path,
        source: Box::new(source),
    })?;
    resolve(file, content).map_err(ContentError::Invalid)
}

fn resolve(file: File, content: &Content) -> Result<Rules, Vec<String>> {
    let mut problems = Vec::new();
    let track = |id: &str, problems: &mut Vec<String>| -> Vec<String> {
        let lessons: Vec<String> = content.lessons_in(id).map(|l| l.id.clone()).collect();
        if lessons.is_empty() {
            problems.push(format!("coverage.toml: track {id} has no lessons"));
        }
        lessons
    };
    let items = |id: &str, problems: &mut Vec<String>| -> Vec<String> {
        match content.checklist(id) {
            Some(c) => c.items.iter().map(|i| i.id.clone()).collect(),
            None => {
                problems.push(format!("coverage.toml: no checklist {id}"));
                Vec::new()
            }
        }
    };
    let basic_skills_lessons = track(&file.basic_skills_track, &mut problems);
    let family_lessons = track(&file.family_track, &mut problems);
    let family_items = items(&file.family_checklist, &mut problems);
    let identity_items = items(&file.identity_checklist, &mut problems);
    if !identity_items.is_empty() && !identity_items.contains(&file.identity_item) {
        problems.push(format!(
            "coverage.toml: checklist {} has no item {}",
            file.identity_checklist, file.identity_item
        ));
    }
    let trader_items = items(&file.trader_checklist, &mut problems);
    for lang in content.locale_codes() {
        if !file.text.contains_key(lang) {
            problems.push(format!("coverage.toml: no [text.{lang}]"));
        }
    }
    for t in &file.target {
        if !MEASURES.contains(&t.measure.as_str()) {
            problems.push(format!("coverage.toml: unknown measure {}", t.measure));
        }
        if t.percent.is_some() == t.count.is_some() {
            problems.push(format!(
                "coverage.toml: target {} {} needs either percent or count",
                t.measure, t.year
            ));
        }
        if t.percent.is_some_and(|p| p > 100) {
            problems.push(format!("coverage.toml: target {} over 100 %", t.measure));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Rules {
        basic_skills_lessons,
        family_lessons,
        family_checklist: file.family_checklist,
        family_items,
        identity_checklist: file.identity_checklist,
        identity_item: file.identity_item,
        trader_checklist: file.trader_checklist,
        trader_items,
        texts: file.text,
        targets: file.target,
    })
}
