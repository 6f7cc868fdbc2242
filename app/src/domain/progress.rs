//! A learner's progress: which lessons are done, how their latest quiz went, and where
//! they stopped; and the rule for what to learn next. Completions only ever grow, so
//! merging two copies can never lose one; the latest try is last-writer-wins.

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
    /// Lesson id → the latest quiz attempt.
    #[serde(default)]
    pub tried: BTreeMap<String, Tried>,
}

/// One quiz attempt, as the latest of a lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tried {
    /// (time, device, event id): the greatest is the latest, the same on every phone.
    pub at: (i64, String, String),
    pub passed: bool,
    /// The option chosen for each question (`None`: blank); empty from older phones.
    pub chosen: Vec<Option<u32>>,
}

impl Tried {
    /// The questions (0-based) this attempt got wrong, given the quiz's right answers;
    /// empty when the phone did not say what was chosen.
    pub fn missed(&self, answers: &[usize]) -> Vec<usize> {
        if self.chosen.is_empty() {
            return Vec::new();
        }
        answers
            .iter()
            .enumerate()
            .filter(|(i, &a)| self.chosen.get(*i).copied().flatten() != Some(a as u32))
            .map(|(i, _)| i)
            .collect()
    }
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

    /// Keeps `tried` if it is later than the attempt kept for `lesson`.
    pub fn tried(&mut self, lesson: &str, tried: Tried) {
        match self.tried.get(lesson) {
            Some(kept) if kept.at >= tried.at => {}
            _ => {
                self.tried.insert(lesson.to_string(), tried);
            }
        }
    }

    /// Tried and not passed (the latest attempt failed, and no attempt ever passed).
    pub fn is_failed(&self, lesson: &str) -> bool {
        !self.is_done(lesson) && self.tried.get(lesson).is_some_and(|t| !t.passed)
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
        for (lesson, tried) in &other.tried {
            self.tried(lesson, tried.clone());
        }
    }

    /// How many of `lessons` are done.
    pub fn count_done<'a>(&self, lessons: impl IntoIterator<Item = &'a str>) -> usize {
        lessons.into_iter().filter(|l| self.is_done(l)).count()
    }

    /// The lesson to offer next, from `order` (a track's lessons, in order); `None` when
    /// every one is done. The rules, as the README states them:
    /// 1. the lesson opened last, if it is not done (the person was in the middle of it);
    /// 2. else the first lesson whose quiz was tried and not passed (what was failed
    ///    comes back before anything new);
    /// 3. else the first lesson not done.
    pub fn next_lesson<'a>(&self, order: &[&'a str]) -> Option<&'a str> {
        if let Some(last) = &self.last {
            if let Some(found) = order.iter().find(|id| **id == last.as_str()) {
                if !self.is_done(found) {
                    return Some(found);
                }
            }
        }
        let failed = order.iter().copied().find(|id| self.is_failed(id));
        failed.or_else(|| order.iter().copied().find(|id| !self.is_done(id)))
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

    fn attempt(at: i64, event: &str, chosen: &[Option<u32>], answers: &[u32]) -> Tried {
        Tried {
            at: (at, "phone".into(), event.into()),
            passed: chosen.iter().zip(answers).all(|(c, a)| *c == Some(*a)),
            chosen: chosen.to_vec(),
        }
    }

    #[test]
    fn a_failed_quiz_comes_back_before_a_new_lesson() {
        let mut p = Progress::default();
        p.complete("a", 1);
        p.tried("c", attempt(2, "e1", &[Some(0), Some(1)], &[0, 0]));
        p.open("a");
        assert_eq!(p.next_lesson(&["a", "b", "c"]), Some("c"));
        // Passing it, the next new lesson is offered.
        p.tried("c", attempt(3, "e2", &[Some(0), Some(0)], &[0, 0]));
        p.complete("c", 3);
        assert_eq!(p.next_lesson(&["a", "b", "c"]), Some("b"));
    }

    #[test]
    fn the_latest_try_wins_whatever_order_the_tries_arrive_in() {
        let (early, late) = (
            attempt(5, "e1", &[Some(1)], &[0]),
            attempt(9, "e2", &[Some(0)], &[0]),
        );
        let mut a = Progress::default();
        a.tried("x", early.clone());
        a.tried("x", late.clone());
        let mut b = Progress::default();
        b.tried("x", late);
        b.tried("x", early);
        assert_eq!(a, b);
        assert!(a.tried["x"].passed);
        assert!(!a.is_failed("x"));
    }

    #[test]
    fn the_missed_questions_are_those_not_answered_right() {
        let t = attempt(1, "e", &[Some(1), None, Some(2)], &[1, 0, 0]);
        assert_eq!(t.missed(&[1, 0, 0]), vec![1, 2]);
        // An older phone said only the score: nothing is known to be missed.
        let old = Tried {
            chosen: vec![],
            ..t
        };
        assert_eq!(old.missed(&[1, 0, 0]), Vec::<usize>::new());
    }

    #[test]
    fn a_lesson_removed_from_content_is_not_offered() {
        let mut p = Progress::default();
        p.open("gone");
        assert_eq!(p.next_lesson(&["a"]), Some("a"));
    }
}
