//! How well the offline question box answers (issue 12): the plain questions of
//! `content/ask/questions.toml`, written as people type them and not from the lessons,
//! asked of the index the phone gets; prints the top-1 and top-3 hit rates (overall, by
//! language, with and without accents) and fails below 70 % / 90 %.

use app::domain::ask::{entries, fold, Index};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct Set {
    question: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    q: String,
    lang: String,
    lesson: String,
    #[serde(default)]
    also: Vec<String>,
}

/// Questions asked and found first / in the first three, for one kind of question.
#[derive(Default)]
struct Rate {
    asked: u32,
    first: u32,
    three: u32,
}

impl Rate {
    fn line(&self, name: &str) -> String {
        let pct = |n: u32| f64::from(n) * 100.0 / f64::from(self.asked.max(1));
        format!(
            "{name:<22} {:>4} questions  top-1 {:>5.1} %  top-3 {:>5.1} %",
            self.asked,
            pct(self.first),
            pct(self.three)
        )
    }
}

#[test]
fn plain_questions_find_the_lesson_that_answers_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let content = server::content::load(&dir).unwrap();
    let index = Index::new(entries(&content));
    let set: Set =
        toml::from_str(&std::fs::read_to_string(dir.join("ask/questions.toml")).unwrap()).unwrap();
    assert!(
        set.question.len() >= 60,
        "the set has at least 60 questions"
    );
    let mut rates: std::collections::BTreeMap<&str, Rate> = Default::default();
    let mut missed = Vec::new();
    for q in &set.question {
        for id in std::iter::once(&q.lesson).chain(&q.also) {
            assert!(content.lesson(id).is_some(), "{}: no lesson {id}", q.q);
        }
        let found = index.ask(&q.q, 3);
        let right = |i: usize| {
            found
                .get(i)
                .is_some_and(|a| a.lesson == q.lesson || q.also.contains(&a.lesson))
        };
        let first = right(0);
        let three = (0..3).any(right);
        let plain = if fold(&q.q) == q.q.to_lowercase() && q.lang == "vi" {
            "vi, no accents"
        } else if q.lang == "vi" {
            "vi, with accents"
        } else {
            "en"
        };
        for kind in ["all", plain] {
            let r = rates.entry(kind).or_default();
            r.asked += 1;
            r.first += u32::from(first);
            r.three += u32::from(three);
        }
        if !first {
            let got: Vec<&str> = found.iter().map(|a| a.lesson.as_str()).collect();
            missed.push(format!("  {:?} → {got:?} (wanted {})", q.q, q.lesson));
        }
    }
    for (kind, rate) in &rates {
        println!("{}", rate.line(kind));
    }
    println!("not first:\n{}", missed.join("\n"));
    let all = &rates["all"];
    assert!(
        all.first * 100 >= all.asked * 70,
        "top-1 below 70 %: {}",
        all.line("all")
    );
    assert!(
        all.three * 100 >= all.asked * 90,
        "top-3 below 90 %: {}",
        all.line("all")
    );
}
