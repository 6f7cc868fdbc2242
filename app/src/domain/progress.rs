//! A learner's progress: which lessons are done, how their latest quiz went, and where
//! they stopped; and the rule for what to learn next. Completions only ever grow, so
//! merging two copies can never lose one; the latest try is last-writer-wins.

use super::review::{
    last_missed, review, Placed, Review, Reviewed, REVIEWS_PER_LESSON, REVIEWS_PER_PERSON,
};
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
    /// Review answers (review.rs), in (lesson, time, event) order, the latest kept.
    #[serde(default)]
    pub reviews: Vec<Reviewed>,
    /// The latest placement check, if the person took one.
    #[serde(default)]
    pub placed: Option<Placed>,
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
    /// empty when the phone did not say what was chosen, or when the quiz has changed
    /// since (another number of questions: which was which cannot be told).
    pub fn missed(&self, answers: &[usize]) -> Vec<usize> {
        if self.chosen.len() != answers.len() {
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

    /// Keeps a review answer in its place, (lesson, time, event) order; a repeat changes
    /// nothing. Only the latest answers are kept, `REVIEWS_PER_LESSON` a lesson and
    /// `REVIEWS_PER_PERSON` in all, the same set whatever order answers arrive in: an
    /// answer is dropped only for later ones, and an answer dropped for the whole
    /// person's limit is older than all kept, so none would come back.
    pub fn reviewed(&mut self, answer: Reviewed) {
        fn key(r: &Reviewed) -> (&str, i64, &str) {
            (&r.lesson, r.at_ms, &r.event)
        }
        let Err(at) = self.reviews.binary_search_by(|r| key(r).cmp(&key(&answer))) else {
            return;
        };
        let lesson = self.range_of(&answer.lesson);
        if lesson.len() >= REVIEWS_PER_LESSON {
            if at == lesson.start {
                return; // older than every answer kept for the lesson
            }
            self.reviews.insert(at, answer);
            self.reviews.remove(lesson.start);
        } else {
            self.reviews.insert(at, answer);
        }
        if self.reviews.len() > REVIEWS_PER_PERSON {
            let oldest = (0..self.reviews.len())
                .min_by_key(|&i| (self.reviews[i].at_ms, self.reviews[i].event.as_str()));
            if let Some(oldest) = oldest {
                self.reviews.remove(oldest);
            }
        }
    }

    /// Where `lesson`'s review answers lie in `reviews`.
    fn range_of(&self, lesson: &str) -> std::ops::Range<usize> {
        let start = self.reviews.partition_point(|r| r.lesson.as_str() < lesson);
        let end = start + self.reviews[start..].partition_point(|r| r.lesson == lesson);
        start..end
    }

    /// The review answers of `lesson` kept, in time order.
    pub fn reviews_of(&self, lesson: &str) -> &[Reviewed] {
        &self.reviews[self.range_of(lesson)]
    }

    /// Keeps `placed` if it is later than the placement check kept.
    pub fn place(&mut self, placed: Placed) {
        if self.placed.as_ref().is_none_or(|kept| kept.at < placed.at) {
            self.placed = Some(placed);
        }
    }

    /// Answered right in the latest placement check (and so not suggested as new).
    pub fn is_known(&self, lesson: &str) -> bool {
        self.placed
            .as_ref()
            .is_some_and(|p| p.known.iter().any(|k| k == lesson))
    }

    /// Where a lesson's reviews stand at `now_ms`; `None` until its quiz is passed.
    pub fn review(&self, lesson: &str, now_ms: i64) -> Option<Review> {
        let passed = *self.done.get(lesson)?;
        Some(review(passed, self.reviews_of(lesson), now_ms))
    }

    /// Whether the last review of `lesson` that counted was missed: something to go over
    /// again.
    pub fn review_missed(&self, lesson: &str) -> bool {
        self.done
            .get(lesson)
            .is_some_and(|&passed| last_missed(passed, self.reviews_of(lesson)))
    }

    /// The question to ask if `lesson` is due for review at `now_ms` (to be taken modulo
    /// the quiz's length).
    pub fn due(&self, lesson: &str, now_ms: i64) -> Option<usize> {
        match self.review(lesson, now_ms)? {
            Review::Due { question } => Some(question),
            _ => None,
        }
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
        for answer in &other.reviews {
            self.reviewed(answer.clone());
        }
        if let Some(placed) = &other.placed {
            self.place(placed.clone());
        }
    }

    /// How many of `lessons` are done.
    pub fn count_done<'a>(&self, lessons: impl IntoIterator<Item = &'a str>) -> usize {
        lessons.into_iter().filter(|l| self.is_done(l)).count()
    }

    /// The lesson to offer next, from `order` (a track's lessons, in order) at `now_ms`;
    /// `None` when there is nothing to learn or review. The rules, as the README states
    /// them:
    /// 1. the lesson opened last, if it is not done (the person was in the middle of it);
    /// 2. else the first lesson due for review (what was learned comes back before it
    ///    fades);
    /// 3. else the first lesson whose quiz was tried and not passed (what was failed
    ///    comes back before anything new);
    /// 4. else the first lesson not done and not known from the placement check;
    /// 5. else the first lesson not done (known from the check: its quiz confirms it).
    pub fn next_lesson<'a>(&self, order: &[&'a str], now_ms: i64) -> Option<&'a str> {
        if let Some(last) = &self.last {
            if let Some(found) = order.iter().find(|id| **id == last.as_str()) {
                if !self.is_done(found) {
                    return Some(found);
                }
            }
        }
        let first = |rule: &dyn Fn(&str) -> bool| order.iter().copied().find(|id| rule(id));
        first(&|id| self.due(id, now_ms).is_some())
            .or_else(|| first(&|id| self.is_failed(id)))
            .or_else(|| first(&|id| !self.is_done(id) && !self.is_known(id)))
            .or_else(|| first(&|id| !self.is_done(id)))
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
        assert_eq!(p.next_lesson(&["a", "b", "c"], 0), Some("c"));
        p.complete("c", 1);
        assert_eq!(p.next_lesson(&["a", "b", "c"], 0), Some("a"));
        p.complete("a", 1);
        p.complete("b", 1);
        assert_eq!(p.next_lesson(&["a", "b", "c"], 0), None);
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
        assert_eq!(p.next_lesson(&["a", "b", "c"], 0), Some("c"));
        // Passing it, the next new lesson is offered.
        p.tried("c", attempt(3, "e2", &[Some(0), Some(0)], &[0, 0]));
        p.complete("c", 3);
        assert_eq!(p.next_lesson(&["a", "b", "c"], 0), Some("b"));
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
            ..t.clone()
        };
        assert_eq!(old.missed(&[1, 0, 0]), Vec::<usize>::new());
        // The quiz has a question more since: which was which cannot be told.
        assert_eq!(t.missed(&[1, 0, 0, 2]), Vec::<usize>::new());
    }

    const DAY: i64 = crate::domain::review::DAY_MS;

    #[test]
    fn a_lesson_due_for_review_comes_back_before_a_failed_or_new_one() {
        let mut p = Progress::default();
        p.complete("b", 0);
        p.tried("c", attempt(DAY, "e1", &[Some(1)], &[0]));
        let order = ["a", "b", "c"];
        assert_eq!(p.next_lesson(&order, 2 * DAY), Some("c"), "not due yet");
        assert_eq!(
            p.next_lesson(&order, 3 * DAY),
            Some("b"),
            "due after 3 days"
        );
        assert_eq!(p.due("b", 3 * DAY), Some(0));
        // Answered right, it waits 10 days; the failed quiz is next.
        let right = Reviewed {
            lesson: "b".into(),
            event: "r1".into(),
            at_ms: 3 * DAY,
            question: 0,
            right: true,
        };
        p.reviewed(right.clone());
        p.reviewed(right);
        assert_eq!(p.reviews.len(), 1);
        assert_eq!(p.next_lesson(&order, 4 * DAY), Some("c"));
        assert_eq!(p.due("b", 13 * DAY), Some(1));
        // A lesson opened and left half way still comes first.
        p.open("a");
        assert_eq!(p.next_lesson(&order, 13 * DAY), Some("a"));
    }

    #[test]
    fn only_the_latest_review_answers_are_kept_whatever_their_order() {
        // Many answers to a few lessons, and one each to many made-up lessons.
        let answers: Vec<Reviewed> = (0..3000)
            .map(|i: i64| Reviewed {
                lesson: if i % 3 == 0 {
                    format!("made-up-{i}")
                } else {
                    format!("l{}", i % 5)
                },
                event: format!("e{i}"),
                at_ms: (i * 7919) % 3001 * DAY,
                question: 0,
                right: i % 4 != 0,
            })
            .collect();
        let fold = |order: &mut dyn Iterator<Item = &Reviewed>| {
            let mut p = Progress::default();
            order.for_each(|a| p.reviewed(a.clone()));
            p
        };
        let forward = fold(&mut answers.iter());
        let backward = fold(&mut answers.iter().rev());
        let odd_even = fold(
            &mut answers
                .iter()
                .step_by(2)
                .chain(answers.iter().skip(1).step_by(2)),
        );
        assert_eq!(forward, backward);
        assert_eq!(forward, odd_even);
        assert_eq!(forward.reviews.len(), REVIEWS_PER_PERSON);
        let l1 = forward.reviews_of("l1");
        assert_eq!(l1.len(), REVIEWS_PER_LESSON);
        assert!(l1.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
        // The latest answers of the lesson are those kept.
        let mut times: Vec<i64> = answers
            .iter()
            .filter(|a| a.lesson == "l1")
            .map(|a| a.at_ms)
            .collect();
        times.sort_unstable();
        let kept: Vec<i64> = l1.iter().map(|a| a.at_ms).collect();
        assert_eq!(kept, times[times.len() - REVIEWS_PER_LESSON..]);
    }

    #[test]
    fn three_phones_answering_the_same_reviews_keep_the_schedule_exact() {
        // Passed on day 0; the family's phones answered offline: the first review three
        // times (days 3–5), a miss on day 13, then the next review on five days. Only
        // days 3, 13 and 16 count: a right answer, a miss, a right answer.
        let mut p = Progress::default();
        for (day, right) in [(3, true), (4, true), (5, true), (13, false)]
            .into_iter()
            .chain((14..=18).map(|d| (d, true)))
        {
            p.reviewed(Reviewed {
                lesson: "l".into(),
                event: format!("e{day}"),
                at_ms: day * DAY,
                question: 0,
                right,
            });
        }
        // Dropping day 3 would let day 13's miss fall before its due day (14), and the
        // lesson would wait until day 44.
        assert_eq!(
            review(0, p.reviews_of("l"), 20 * DAY),
            Review::Waiting { due_ms: 26 * DAY }
        );
    }

    fn placed(at: i64, asked: &[&str], known: &[&str]) -> Placed {
        Placed {
            at: (at, "phone".into(), format!("p{at}")),
            asked: asked.iter().map(|s| s.to_string()).collect(),
            known: known.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn lessons_known_from_the_placement_check_are_skipped() {
        let mut p = Progress::default();
        let order = ["a", "b", "c"];
        p.place(placed(2, &["a", "b", "c"], &["a", "b"]));
        assert_eq!(p.next_lesson(&order, 0), Some("c"));
        // The latest check wins, in any order.
        let mut q = Progress::default();
        q.place(placed(3, &["a", "b", "c"], &["a"]));
        q.place(placed(2, &["a", "b", "c"], &["a", "b"]));
        p.place(placed(3, &["a", "b", "c"], &["a"]));
        assert_eq!(p, q);
        assert_eq!(p.next_lesson(&order, 0), Some("b"));
        // Everything left is known: the known lessons are still offered, in order.
        p.complete("b", 1);
        p.complete("c", 1);
        assert_eq!(p.next_lesson(&order, 0), Some("a"));
    }

    #[test]
    fn a_lesson_removed_from_content_is_not_offered() {
        let mut p = Progress::default();
        p.open("gone");
        assert_eq!(p.next_lesson(&["a"], 0), Some("a"));
    }
}
