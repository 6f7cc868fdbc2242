//! All the learning content, loaded once, with the checks a trainer's or translator's
//! edit must pass before it reaches anyone.

use super::event::{MAX_OPTIONS, MAX_QUESTIONS};
use super::lesson::{Checklist, Lesson, Track};
use super::locale::DEFAULT_LANG;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// DigComp 2.2 competences plus the UNESCO DLGF additions (area 0: devices, area 6:
/// career-related). A lesson must name one of these.
pub const COMPETENCES: &[&str] = &[
    "0.1", "0.2", "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "3.2",
    "3.3", "3.4", "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4", "6.1", "6.2",
];

/// The interface key holding the consent text's version.
pub const CONSENT_VERSION: &str = "consent.version";

/// A slow adult reader, new to reading on a screen, reads about this many words a
/// minute; a lesson's text must fit its stated minutes at this pace.
pub const SLOW_READING_WORDS_PER_MINUTE: usize = 110;

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LocaleInfo {
    pub code: String,
    /// The language's name in that language, as shown in the switcher.
    pub name: String,
}

#[derive(Clone, Debug, Default)]
pub struct Content {
    pub locales: Vec<LocaleInfo>,
    pub tracks: Vec<Track>,
    pub lessons: Vec<Lesson>,
    pub checklists: Vec<Checklist>,
    /// Interface strings: language code → key → text.
    pub ui: BTreeMap<String, BTreeMap<String, String>>,
    /// A fingerprint of the files this was read from: changes whenever any text does.
    pub version: String,
}

impl Content {
    pub fn locale_codes(&self) -> Vec<&str> {
        self.locales.iter().map(|l| l.code.as_str()).collect()
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.id == id)
    }

    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.id == id)
    }

    pub fn lessons_in<'a>(&'a self, track: &'a str) -> impl Iterator<Item = &'a Lesson> + 'a {
        self.lessons.iter().filter(move |l| l.in_track(track))
    }

    /// The version of the consent text a person accepts before their phone sends
    /// anything: the server records it, and refuses data without the current one.
    pub fn consent_version(&self) -> &str {
        self.t(DEFAULT_LANG, CONSENT_VERSION)
    }

    /// The interface text for `key` in `lang`, falling back to Vietnamese, then to the
    /// key itself so a missing string is visible rather than blank.
    pub fn t<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.ui
            .get(lang)
            .and_then(|m| m.get(key))
            .or_else(|| self.ui.get(DEFAULT_LANG).and_then(|m| m.get(key)))
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// Every problem in the content, as sentences a trainer can act on. Empty means the
    /// content is fit to publish.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let langs = self.locale_codes();
        if !langs.contains(&DEFAULT_LANG) {
            out.push(format!("locales.toml must list {DEFAULT_LANG}"));
        }
        self.check_ui(&langs, &mut out);
        let track_ids: BTreeSet<&str> = self.tracks.iter().map(|t| t.id.as_str()).collect();
        for track in &self.tracks {
            for lang in &langs {
                match track.text.get(*lang) {
                    Some(t) if !t.name.trim().is_empty() && !t.blurb.trim().is_empty() => {}
                    _ => out.push(format!("track {}: no {lang} name or blurb", track.id)),
                }
            }
            if self.lessons_in(&track.id).next().is_none() {
                out.push(format!("track {}: has no lessons", track.id));
            }
        }
        let mut seen = BTreeSet::new();
        for lesson in &self.lessons {
            if !seen.insert(lesson.id.as_str()) {
                out.push(format!("lesson {}: id used twice", lesson.id));
            }
            check_lesson(lesson, &langs, &track_ids, &mut out);
        }
        for list in &self.checklists {
            self.check_checklist(list, &langs, &mut out);
        }
        // Each lesson's latest review answers must fit in a person's (domain::review).
        if self.lessons.len() * super::review::REVIEWS_PER_LESSON
            > super::review::REVIEWS_PER_PERSON
        {
            out.push(format!(
                "{} lessons: a person's kept review answers ({}) have no room for {} a lesson; \
                 raise REVIEWS_PER_PERSON in domain/review.rs",
                self.lessons.len(),
                super::review::REVIEWS_PER_PERSON,
                super::review::REVIEWS_PER_LESSON
            ));
        }
        // The Hỏi page's index is cut at control characters (domain::ask).
        for e in super::ask::entries(self) {
            let mut all = [&e.lesson, &e.title, &e.summary]
                .into_iter()
                .chain(&e.steps);
            if !all.all(|t| super::ask::fits_index(t)) {
                out.push(format!(
                    "lesson {} ({}): a control character in its text",
                    e.lesson, e.lang
                ));
            }
        }
        out
    }

    fn check_ui(&self, langs: &[&str], out: &mut Vec<String>) {
        let Some(base) = self.ui.get(DEFAULT_LANG) else {
            out.push(format!("ui/{DEFAULT_LANG}.toml is missing"));
            return;
        };
        // The consent text's version is what the server records: one for all languages.
        let version = base.get(CONSENT_VERSION);
        if version.is_none_or(|v| v.trim().is_empty()) {
            out.push(format!(
                "ui/{DEFAULT_LANG}.toml: `{CONSENT_VERSION}` is missing"
            ));
        }
        for lang in langs {
            if self.ui.get(*lang).and_then(|m| m.get(CONSENT_VERSION)) != version {
                out.push(format!(
                    "ui/{lang}.toml: `{CONSENT_VERSION}` differs from {DEFAULT_LANG}'s: a translation must change with the text it translates"
                ));
            }
        }
        for lang in langs {
            let Some(strings) = self.ui.get(*lang) else {
                out.push(format!("ui/{lang}.toml is missing"));
                continue;
            };
            for key in base.keys() {
                match strings.get(key) {
                    Some(s) if !s.trim().is_empty() => {}
                    _ => out.push(format!("ui/{lang}.toml: `{key}` is missing or empty")),
                }
            }
        }
    }

    fn check_checklist(&self, list: &Checklist, langs: &[&str], out: &mut Vec<String>) {
        if list.items.is_empty() {
            out.push(format!("checklist {}: has no items", list.id));
        }
        for item in &list.items {
            if self.lesson(&item.lesson).is_none() {
                out.push(format!(
                    "checklist {} item {}: lesson {} does not exist",
                    list.id, item.id, item.lesson
                ));
            }
        }
        for lang in langs {
            let Some(text) = list.text.get(*lang) else {
                out.push(format!("checklist {}: no {lang} text", list.id));
                continue;
            };
            for item in &list.items {
                match text.items.get(&item.id) {
                    Some(t) if !t.label.trim().is_empty() && !t.why.trim().is_empty() => {}
                    _ => out.push(format!(
                        "checklist {} item {}: no {lang} label or explanation",
                        list.id, item.id
                    )),
                }
            }
        }
    }
}

fn check_lesson(
    lesson: &Lesson,
    langs: &[&str],
    track_ids: &BTreeSet<&str>,
    out: &mut Vec<String>,
) {
    let id = &lesson.id;
    let mut say = |what: String| out.push(format!("lesson {id}: {what}"));
    if lesson.tracks.is_empty() {
        say("names no track".into());
    }
    for track in &lesson.tracks {
        if !track_ids.contains(track.as_str()) {
            say(format!("unknown track {track}"));
        }
    }
    if !COMPETENCES.contains(&lesson.competence.as_str()) {
        say(format!("unknown competence code {}", lesson.competence));
    }
    if !(3..=5).contains(&lesson.minutes) {
        say(format!(
            "{} minutes: a micro-lesson takes 3 to 5",
            lesson.minutes
        ));
    }
    if lesson.answers.len() < 3 {
        say(format!(
            "{} quiz items: a lesson needs 3 or more",
            lesson.answers.len()
        ));
    }
    if let Some(image) = &lesson.image {
        let plain = image.ends_with(".svg")
            && image
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if !plain {
            say(format!(
                "image {image}: name an .svg file in public/img/lessons/"
            ));
        }
    }
    for lang in langs {
        let Some(text) = lesson.text.get(*lang) else {
            say(format!("no {lang} text"));
            continue;
        };
        let blank = |s: &str| s.trim().is_empty();
        if lesson.image.is_some() && text.image_alt.as_deref().is_none_or(blank) {
            say(format!("{lang}: the image needs an image_alt description"));
        }
        if blank(&text.title) || blank(&text.summary) || blank(&text.task) {
            say(format!("{lang}: title, summary or task is empty"));
        }
        // The step pager shows at most seven (style/main.css).
        if !(3..=7).contains(&text.steps.len()) || text.steps.iter().any(|s| blank(s)) {
            say(format!("{lang}: needs 3 to 7 steps, none empty"));
        }
        if text.quiz.len() != lesson.answers.len() {
            say(format!(
                "{lang}: {} quiz items but {} answers",
                text.quiz.len(),
                lesson.answers.len()
            ));
        }
        // A phone's answers are refused beyond these (event.rs).
        if text.quiz.len() > MAX_QUESTIONS as usize {
            say(format!("{lang}: more than {MAX_QUESTIONS} quiz items"));
        }
        for (n, (item, &answer)) in text.quiz.iter().zip(&lesson.answers).enumerate() {
            if blank(&item.question) || blank(&item.explanation) {
                say(format!(
                    "{lang}: quiz item {} has an empty question or explanation",
                    n + 1
                ));
            }
            if item.options.len() < 2
                || item.options.len() > MAX_OPTIONS as usize
                || item.options.iter().any(|o| blank(o))
            {
                say(format!(
                    "{lang}: quiz item {} needs 2 to {MAX_OPTIONS} options, none empty",
                    n + 1
                ));
            }
            if answer >= item.options.len() {
                say(format!(
                    "{lang}: quiz item {} answer {answer} is not an option",
                    n + 1
                ));
            }
        }
        let minutes = reading_minutes(text);
        if minutes > lesson.minutes as f32 {
            say(format!(
                "{lang}: reading takes {minutes:.1} min, more than the stated {}",
                lesson.minutes
            ));
        }
    }
}

/// Minutes a slow reader needs for everything on the lesson page.
pub fn reading_minutes(text: &super::lesson::LessonText) -> f32 {
    let words = |s: &str| s.split_whitespace().count();
    let mut total = words(&text.title) + words(&text.summary) + words(&text.task);
    total += text.steps.iter().map(|s| words(s)).sum::<usize>();
    for q in &text.quiz {
        total += words(&q.question) + words(&q.explanation);
        total += q.options.iter().map(|o| words(o)).sum::<usize>();
    }
    total as f32 / SLOW_READING_WORDS_PER_MINUTE as f32
}
