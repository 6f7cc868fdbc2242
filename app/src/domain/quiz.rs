//! Grading a quiz: which answers were right, and whether the lesson counts as learned.

use serde::{Deserialize, Serialize};

/// The outcome of one attempt, item by item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// For each quiz item: was the chosen option the right one?
    pub right: Vec<bool>,
}

impl Grade {
    pub fn score(&self) -> usize {
        self.right.iter().filter(|r| **r).count()
    }

    pub fn total(&self) -> usize {
        self.right.len()
    }

    /// A lesson is done when every answer is right: the quiz is short, and the
    /// explanations let a person try again at once.
    pub fn passed(&self) -> bool {
        !self.right.is_empty() && self.right.iter().all(|r| *r)
    }
}

/// Grades `chosen` (one option index per item, `None` when skipped) against the right
/// `answers` of the quiz.
pub fn grade(answers: &[usize], chosen: &[Option<usize>]) -> Grade {
    Grade {
        right: answers
            .iter()
            .enumerate()
            .map(|(i, &answer)| chosen.get(i).copied().flatten() == Some(answer))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::grade;

    #[test]
    fn all_right_answers_pass_the_lesson() {
        let g = grade(&[1, 0], &[Some(1), Some(0)]);
        assert_eq!(g.right, vec![true, true]);
        assert!(g.passed());
        assert_eq!((g.score(), g.total()), (2, 2));
    }

    #[test]
    fn one_wrong_answer_shows_which_and_does_not_pass() {
        let g = grade(&[1, 2], &[Some(1), Some(0)]);
        assert_eq!(g.right, vec![true, false]);
        assert!(!g.passed());
    }

    #[test]
    fn a_skipped_question_is_not_right() {
        let g = grade(&[0, 0], &[Some(0)]);
        assert_eq!(g.right, vec![true, false]);
        assert!(!g.passed());
    }
}
