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

/// How many review answers of a lesson are kept: the latest, by (time, event), so that
/// a phone sending thousands cannot make every fold of its household slow. The schedule
/// is exact up to this many: one phone needs at most three right answers after its
/// last miss, and a family's phones answering the same review offline add one each.
/// Past it, the walk starts from the pass with the kept answers only: every copy still
/// computes the same, but a miss among the dropped ones no longer counts.
pub const REVIEWS_PER_LESSON: usize = 12;
/// How many review answers of a person are kept in all: the latest, by (time, event).
/// Room for every lesson's full share (content checks it); a limit for lesson ids made
/// up by the thousand.
pub const REVIEWS_PER_PERSON: usize = 512;

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

/// A lesson's review answers walked in time order: the stage reached (right answers in
/// a row), when the last counted answer came, how many counted, and whether the last
/// counted one was right.
struct Walk {
    stage: usize,
    from: i64,
    counted: usize,
    last_right: Option<bool>,
}

/// Walks `answers` (one lesson's, in time order) from a pass at `passed_ms`. An answer
/// given before its review was due does not count: it came before the pass, or a second
/// phone of the family answered the same review offline (counting both would skip a
/// stage). Once the lesson is kept, later answers change nothing.
fn walk(passed_ms: i64, answers: &[Reviewed]) -> Walk {
    let mut w = Walk {
        stage: 0,
        from: passed_ms,
        counted: 0,
        last_right: None,
    };
    for r in answers {
        let Some(days) = REVIEW_DAYS.get(w.stage) else {
            break;
        };
        if r.at_ms < w.from + days * DAY_MS {
            continue;
        }
        w.stage = if r.right { w.stage + 1 } else { 0 };
        w.from = r.at_ms;
        w.counted += 1;
        w.last_right = Some(r.right);
    }
    w
}

/// The review schedule of a lesson passed at `passed_ms`, given its review answers in
/// time order (as `Progress` keeps them). Each right answer moves to the next interval,
/// counted from that answer; a miss starts again at the first, counted from the miss.
/// The question asked turns with every answer, so a review is not the same question
/// each time.
pub fn review(passed_ms: i64, answers: &[Reviewed], now_ms: i64) -> Review {
    let w = walk(passed_ms, answers);
    let Some(days) = REVIEW_DAYS.get(w.stage) else {
        return Review::Kept;
    };
    let due_ms = w.from + days * DAY_MS;
    if now_ms >= due_ms {
        Review::Due {
            question: w.counted,
        }
    } else {
        Review::Waiting { due_ms }
    }
}

/// Whether the last review that counted, of a lesson passed at `passed_ms`, was missed.
pub fn last_missed(passed_ms: i64, answers: &[Reviewed]) -> bool {
    walk(passed_ms, answers).last_right == Some(false)
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
    let steps = steps_of(Entry {
        lesson: lesson.id.clone(),
        lang: lang.to_string(),
        title: String::new(),
        summary: String::new(),
        steps: lesson.text_in(lang).steps.clone(),
    });
    lesson
        .quiz_in(lang)
        .iter()
        .map(|item| {
            let right = item.options.get(item.answer).map_or("", String::as_str);
            let asked = format!("{} {right} {}", item.question, item.explanation);
            answering_step(&steps, &lesson.id, &asked)
        })
        .collect()
}

/// A search over one lesson's steps alone. The summary is not a step to go back to, and
/// the title, which the search adds to every step, tells none of them apart.
fn steps_of(lesson: Entry) -> Index {
    Index::new(vec![Entry {
        title: String::new(),
        summary: String::new(),
        ..lesson
    }])
}

/// The step of a lesson (from 1) that answers one of its quiz questions, where a missed
/// review sends the person back: the lesson's own steps (`steps_of`) ranked against the
/// question, its right option and its explanation, as the Hỏi box ranks them (ask.rs).
/// The first step when no step shares a word with it.
fn answering_step(steps: &Index, lesson: &str, question: &str) -> usize {
    steps
        .ask(question, 1)
        .into_iter()
        .find(|a| a.lesson == lesson && a.step > 0)
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
        let steps = steps_of(lesson);
        let otp = "A caller asks for your OTP code. Refuse and hang up.";
        assert_eq!(answering_step(&steps, "otp", otp), 2);
        assert_eq!(
            answering_step(&steps, "otp", "What does two-step verification do?"),
            3
        );
        assert_eq!(answering_step(&steps, "otp", "Zzz qqq"), 1);
    }

    #[test]
    fn an_answer_before_the_review_was_due_does_not_count() {
        // Before the pass.
        let early = [r(1, 0, true)];
        assert_eq!(
            review(2 * DAY_MS, &early, 4 * DAY_MS),
            Review::Waiting { due_ms: 5 * DAY_MS }
        );
        // Two phones of the family answered the same due review offline, a day apart:
        // one stage, not two; and the second phone's miss does not undo the first.
        let twice = [r(4, 0, true), r(5, 0, true)];
        assert_eq!(
            review(0, &twice, 6 * DAY_MS),
            Review::Waiting {
                due_ms: 14 * DAY_MS
            }
        );
        let then_missed = [r(4, 0, true), r(5, 0, false)];
        assert_eq!(
            review(0, &then_missed, 6 * DAY_MS),
            review(0, &twice, 6 * DAY_MS)
        );
        assert!(!last_missed(0, &then_missed));
        assert!(last_missed(0, &[r(4, 0, false), r(5, 0, true)]));
    }
}
