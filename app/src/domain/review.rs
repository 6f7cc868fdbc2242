//! Coming back to what was learned (issue 12): spaced review of passed lessons and the
//! placement check that marks lessons a person already knows. Plain rules over times
//! and answers, folded from events like the rest, so every phone of the family and the
//! server reach the same schedule.

use super::ask::{Entry, Index};
use super::lesson::Lesson;
use serde::{Deserialize, Serialize};

pub const DAY_MS: i64 = 86_400_000;

/// Days from a pass (or the review before) to the next review: about 3, 10 and 30 days,
/// then the lesson is kept.
pub const REVIEW_DAYS: [i64; 3] = [3, 10, 30];

/// How many lessons of the common core the placement check asks about, one question
/// each (the first of the lesson's quiz), in track order.
pub const PLACEMENT_LESSONS: usize = 10;

/// One review answer. Lists of these and of placement lessons are plain vectors kept in
/// order by hand: each map, set or sort the phone's code instantiates costs kilobytes
/// of wasm (ask.rs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewed {
    pub lesson: String,
    /// The answer's event: the same answer twice counts once.
    pub event: String,
    pub at_ms: i64,
    /// Which question of the lesson's quiz was asked (0-based).
    pub question: u32,
    pub right: bool,
}

/// Where a passed lesson's reviews stand at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    /// A review is due: ask question `question % quiz length`.
    Due { question: usize },
    /// The next review is due at this time.
    Waiting { due_ms: i64 },
    /// Reviewed right three times in a row: not asked again.
    Kept,
}

/// The review schedule of a lesson passed at `passed_ms`, given its review answers (in
/// any order; those before the pass do not count). Each right answer moves to the next
/// interval, counted from that answer; a miss starts again at the first, counted from
/// the miss. The question asked turns with every answer, so a review is not the same
/// question each time.
pub fn review<'a>(
    passed_ms: i64,
    answers_in: impl IntoIterator<Item = &'a Reviewed>,
    now_ms: i64,
) -> Review {
    // In time order, placed by hand (a lesson has a handful of answers).
    let mut answers: Vec<&Reviewed> = Vec::new();
    for r in answers_in.into_iter().filter(|r| r.at_ms >= passed_ms) {
        let key = (r.at_ms, r.question, r.right);
        let at = answers
            .iter()
            .position(|a| (a.at_ms, a.question, a.right) > key)
            .unwrap_or(answers.len());
        answers.insert(at, r);
    }
    let (mut stage, mut from) = (0, passed_ms);
    for r in &answers {
        stage = if r.right { stage + 1 } else { 0 };
        from = r.at_ms;
    }
    let Some(days) = REVIEW_DAYS.get(stage) else {
        return Review::Kept;
    };
    let due_ms = from + days * DAY_MS;
    if now_ms >= due_ms {
        Review::Due {
            question: answers.len(),
        }
    } else {
        Review::Waiting { due_ms }
    }
}

/// The latest placement check of a person: which lessons it asked about and which the
/// person answered right. Last-writer-wins by (time, device, event).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub at: (i64, String, String),
    pub asked: Vec<String>,
    pub known: Vec<String>,
}

/// For each question of `lesson`'s quiz in `lang`, the step that answers it.
pub fn answering_steps(lesson: &Lesson, lang: &str) -> Vec<usize> {
    let text = lesson.text_in(lang);
    let entry = Entry {
        lesson: lesson.id.clone(),
        lang: lang.to_string(),
        title: String::new(),
        summary: String::new(),
        steps: text.steps.clone(),
    };
    lesson
        .quiz_in(lang)
        .iter()
        .map(|item| {
            let right = item.options.get(item.answer).map_or("", String::as_str);
            let asked = format!("{} {right} {}", item.question, item.explanation);
            answering_step(entry.clone(), &asked)
        })
        .collect()
}

/// The step of a lesson (from 1) that answers one of its quiz questions, where a missed
/// review sends the person back: the lesson's own steps ranked against the question,
/// its right option and its explanation, as the Hỏi box ranks them (ask.rs). The first
/// step when no step shares a word with it.
pub fn answering_step(lesson: Entry, question: &str) -> usize {
    let id = lesson.lesson.clone();
    let index = Index::new(vec![Entry {
        // The summary is not a step to go back to, and the title, which the search adds
        // to every step, tells none of them apart.
        title: String::new(),
        summary: String::new(),
        ..lesson
    }]);
    index
        .ask(question, 1)
        .into_iter()
        .find(|a| a.lesson == id && a.step > 0)
        .map_or(1, |a| a.step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(day: i64, question: u32, right: bool) -> Reviewed {
        Reviewed {
            lesson: "l".into(),
            event: format!("e{day}"),
            at_ms: day * DAY_MS,
            question,
            right,
        }
    }

    #[test]
    fn a_passed_lesson_comes_back_after_3_then_10_then_30_days() {
        assert_eq!(
            review(0, &[], 2 * DAY_MS),
            Review::Waiting { due_ms: 3 * DAY_MS }
        );
        assert_eq!(review(0, &[], 3 * DAY_MS), Review::Due { question: 0 });
        let once = [r(4, 0, true)];
        assert_eq!(
            review(0, &once, 13 * DAY_MS),
            Review::Waiting {
                due_ms: 14 * DAY_MS
            }
        );
        assert_eq!(review(0, &once, 14 * DAY_MS), Review::Due { question: 1 });
        let twice = [r(4, 0, true), r(15, 1, true)];
        assert_eq!(review(0, &twice, 45 * DAY_MS), Review::Due { question: 2 });
        let thrice = [r(4, 0, true), r(15, 1, true), r(50, 2, true)];
        assert_eq!(review(0, &thrice, 400 * DAY_MS), Review::Kept);
    }

    #[test]
    fn a_miss_starts_the_intervals_again_from_the_miss() {
        let missed = [r(4, 0, true), r(15, 1, false)];
        assert_eq!(
            review(0, &missed, 17 * DAY_MS),
            Review::Waiting {
                due_ms: 18 * DAY_MS
            }
        );
        assert_eq!(review(0, &missed, 18 * DAY_MS), Review::Due { question: 2 });
    }

    #[test]
    fn a_question_leads_back_to_the_step_that_answers_it() {
        let lesson = Entry {
            lesson: "otp".into(),
            lang: "en".into(),
            title: "Passwords and OTP codes".into(),
            summary: "Keep your codes to yourself.".into(),
            steps: vec![
                "A strong password is a long sentence you remember.".into(),
                "Never read an OTP code to anyone, even the bank.".into(),
                "Turn on two-step verification in Settings.".into(),
            ],
        };
        let otp = "A caller asks for your OTP code. Refuse and hang up.";
        assert_eq!(answering_step(lesson.clone(), otp), 2);
        assert_eq!(
            answering_step(lesson.clone(), "What does two-step verification do?"),
            3
        );
        assert_eq!(answering_step(lesson, "Zzz qqq"), 1);
    }

    #[test]
    fn order_does_not_matter_and_answers_before_the_pass_do_not_count() {
        let a = [r(15, 1, true), r(4, 0, true)];
        let b = [r(4, 0, true), r(15, 1, true)];
        assert_eq!(review(0, &a, 30 * DAY_MS), review(0, &b, 30 * DAY_MS));
        let early = [r(1, 0, true)];
        assert_eq!(
            review(2 * DAY_MS, &early, 4 * DAY_MS),
            Review::Waiting { due_ms: 5 * DAY_MS }
        );
    }
}
