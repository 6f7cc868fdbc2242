//! A learner's progress on one device: which lessons are done and where they stopped.
//! Completions only ever grow, so merging two copies can never lose one.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Lesson id → epoch-ms of the first time its quiz was passed.
    #[serde(default)]
    pub done: BTreeMap<String, i64>,
    /// The lesson opened last, for "continue where you left off".
    #[serde(default)]
    pub last: Option<String>,
}

impl Progress {
    pub fn is_done(&self, lesson: &str) -> bool {
        self.done.contains_key(lesson)
    }

    /// Records a passed quiz; the earliest completion time is kept, whatever order the
    /// records arrive in.
    pub fn complete(&mut self, lesson: &str, at_ms: i64) {
        let first = self.done.entry(lesson.to_string()).or_insert(at_ms);
        *first = (*first).min(at_ms);
    }

    pub fn open(&mut self, lesson: &str) {
        self.last = Some(lesson.to_string());
    }

    /// Union of two copies: every completion either copy knows, at its earliest time.
    pub fn merge(&mut self, other: &Progress) {
        for (lesson, &at) in &other.done {
            self.complete(lesson, at);
        }
        if self.last.is_none() {
            self.last = other.last.clone();
        }
    }

    /// How many of `lessons` are done.
    pub fn count_done<'a>(&self, lessons: impl IntoIterator<Item = &'a str>) -> usize {
        lessons.into_iter().filter(|l| self.is_done(l)).count()
    }

    /// The lesson to offer next: the last one opened if it is not yet done, else the
    /// first lesson in `order` not yet done. `None` when everything is done.
    pub fn next_lesson<'a>(&self, order: &[&'a str]) -> Option<&'a str> {
        if let Some(last) = &self.last {
            if let Some(found) = order.iter().find(|id| **id == last.as_str()) {
                if !self.is_done(found) {
                    return Some(found);
                }
            }
        }
        order.iter().copied().find(|id| !self.is_done(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completing_twice_keeps_the_first_time() {
        let mut p = Progress::default();
        p.complete("zalo", 20);
        p.complete("zalo", 10);
        p.complete("zalo", 30);
        assert_eq!(p.done["zalo"], 10);
    }

    #[test]
    fn merging_never_loses_a_completion() {
        let mut phone = Progress::default();
        phone.complete("a", 5);
        let mut other = Progress::default();
        other.complete("a", 3);
        other.complete("b", 7);
        phone.merge(&other);
        assert_eq!(phone.done.len(), 2);
        assert_eq!(phone.done["a"], 3);
    }

    #[test]
    fn continue_offers_the_unfinished_lesson_opened_last() {
        let mut p = Progress::default();
        p.open("c");
        assert_eq!(p.next_lesson(&["a", "b", "c"]), Some("c"));
        p.complete("c", 1);
        assert_eq!(p.next_lesson(&["a", "b", "c"]), Some("a"));
        p.complete("a", 1);
        p.complete("b", 1);
        assert_eq!(p.next_lesson(&["a", "b", "c"]), None);
    }

    #[test]
    fn a_lesson_removed_from_content_is_not_offered() {
        let mut p = Progress::default();
        p.open("gone");
        assert_eq!(p.next_lesson(&["a"]), Some("a"));
    }
}
