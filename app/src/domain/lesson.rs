//! A micro-lesson as data: what it teaches, to whom, and its words in each language.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The translation for `lang`, else the Vietnamese one (every item must have it), else
/// any: a missing translation shows Vietnamese rather than nothing.
pub fn in_lang<'a, T>(text: &'a BTreeMap<String, T>, lang: &str) -> &'a T {
    text.get(lang)
        .or_else(|| text.get(super::locale::DEFAULT_LANG))
        .or_else(|| text.values().next())
        .expect("validated content has a Vietnamese text")
}

/// One lesson file from `content/lessons/`. The language-independent facts sit at the
/// top; `text` holds one translation per language code.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    /// Tracks the lesson appears in, in the order of `content/tracks.toml`.
    pub tracks: Vec<String>,
    /// DigComp 2.2 / UNESCO DLGF competence code, e.g. "2.6".
    pub competence: String,
    /// Stated length in minutes (3–5 for a micro-lesson).
    pub minutes: u32,
    /// Index of the right option for each quiz item; the same in every language, so a
    /// translator cannot change what counts as right.
    pub answers: Vec<usize>,
    /// Optional illustration: the name of an SVG file in `public/img/lessons/`, shown above
    /// the steps. Each language then describes it in `image_alt`.
    #[serde(default)]
    pub image: Option<String>,
    pub text: BTreeMap<String, LessonText>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LessonText {
    pub title: String,
    pub summary: String,
    pub steps: Vec<String>,
    pub quiz: Vec<QuizText>,
    /// The practical task a person does on their own phone.
    pub task: String,
    /// What the illustration shows, for screen readers (required when `image` is set).
    #[serde(default)]
    pub image_alt: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuizText {
    pub question: String,
    pub options: Vec<String>,
    /// Why the right answer is right; shown after answering.
    pub explanation: String,
}

/// A quiz item in one language, with its answer: what the quiz on a page needs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct QuizItem {
    pub question: String,
    pub options: Vec<String>,
    pub answer: usize,
    pub explanation: String,
}

impl Lesson {
    /// The lesson's words in `lang`, or in Vietnamese when that translation is missing.
    pub fn text_in(&self, lang: &str) -> &LessonText {
        in_lang(&self.text, lang)
    }

    /// The quiz in `lang`, each item paired with its right answer.
    pub fn quiz_in(&self, lang: &str) -> Vec<QuizItem> {
        self.text_in(lang)
            .quiz
            .iter()
            .zip(&self.answers)
            .map(|(q, &answer)| QuizItem {
                question: q.question.clone(),
                options: q.options.clone(),
                answer,
                explanation: q.explanation.clone(),
            })
            .collect()
    }

    pub fn in_track(&self, track: &str) -> bool {
        self.tracks.iter().any(|t| t == track)
    }
}

/// A learning track: households, elderly, small traders (4T), …
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Track {
    pub id: String,
    /// The name of the line icon shown on the track card.
    pub icon: String,
    pub text: BTreeMap<String, TrackText>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrackText {
    pub name: String,
    pub blurb: String,
}

impl Track {
    pub fn text_in(&self, lang: &str) -> &TrackText {
        in_lang(&self.text, lang)
    }
}

/// A checklist (digital family, 4T, one digital identity): practical milestones, each
/// linked to the lesson that teaches it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub id: String,
    /// The household's, not each person's (the digital family): every item is one tick
    /// for the whole household, whoever of it ticks it.
    #[serde(default)]
    pub household: bool,
    pub items: Vec<ChecklistItem>,
    pub text: BTreeMap<String, ChecklistText>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    /// The lesson that teaches this item.
    pub lesson: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistText {
    pub title: String,
    pub intro: String,
    /// Item id → (label, explanation).
    pub items: BTreeMap<String, ChecklistItemText>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItemText {
    pub label: String,
    pub why: String,
}

impl Checklist {
    pub fn text_in(&self, lang: &str) -> &ChecklistText {
        in_lang(&self.text, lang)
    }
}
