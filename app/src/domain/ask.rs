//! Answers a plain question offline from the lessons (issue 12): the best few lesson
//! steps, ranked, each with its lesson.
//!
//! Questions and lessons are compared word by word after folding: lower case, the
//! Vietnamese marks taken off (`đ` → `d`), so "mat khau" finds "mật khẩu", as people
//! type without accents. Neighbouring words also count as a pair, because a Vietnamese
//! word is often two syllables ("mật khẩu", "căn cước") and one syllable alone says
//! little. Both languages are searched whatever the question's; a step is shown in the
//! reader's language.
//!
//! The score is BM25, the usual text-search score: a word found in few steps counts
//! more than a common one, a word repeated in one step counts less each time, a long
//! step is not favoured for its length. A step is searched with its lesson's title (a
//! step rarely names its topic), a lesson's title and summary are its step 0, and its
//! quiz and the checklist items it teaches answer for it too.

use super::content::Content;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A lesson's words in one language, as the search needs them: what the service worker
/// keeps on the phone (built from content by the server at start).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub lesson: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub steps: Vec<String>,
    /// Its quiz's questions with their explanations, and the labels of checklist items
    /// it teaches: other words for what it answers, not shown as answers.
    pub also: Vec<String>,
}

/// Every lesson in every language of `content`.
pub fn entries(content: &Content) -> Vec<Entry> {
    let mut out = Vec::new();
    for lesson in &content.lessons {
        for (lang, text) in &lesson.text {
            let mut also: Vec<String> = text
                .quiz
                .iter()
                .map(|q| format!("{} {}", q.question, q.explanation))
                .collect();
            for list in &content.checklists {
                let Some(words) = list.text.get(lang) else {
                    continue;
                };
                for item in list.items.iter().filter(|i| i.lesson == lesson.id) {
                    if let Some(t) = words.items.get(&item.id) {
                        also.push(format!("{} {}", t.label, t.why));
                    }
                }
            }
            out.push(Entry {
                lesson: lesson.id.clone(),
                lang: lang.clone(),
                title: text.title.clone(),
                summary: text.summary.clone(),
                steps: text.steps.clone(),
                also,
            });
        }
    }
    out
}

/// `text` in lower case without Vietnamese marks: `Đăng ký` → `dang ky`. Marks typed
/// as separate combining characters (some keyboards do) are dropped too.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(plain)
        .collect()
}

/// Each base letter and its Vietnamese forms (lower case).
const MARKED: [(char, &str); 7] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('d', "đ"),
];

fn plain(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    MARKED
        .iter()
        .find(|(_, forms)| forms.contains(c))
        .map_or(c, |(base, _)| *base)
}

/// Words too common in questions to say what they are about ("làm sao", "là gì", "how
/// do I"), folded. Not "the": folded, it is also "thẻ" (a card).
const STOP: &[&str] = &[
    // Vietnamese
    "la", "gi", "sao", "nao", "co", "khong", "cua", "toi", "minh", "thi", "va", "voi", "cho", "de",
    "duoc", "nhu", "o", "dau", "nay", "do", "mot", "cac", "nhung", "neu", "hay", "roi", "ai", "em",
    "a", "bi", // English
    "how", "do", "i", "a", "an", "to", "my", "is", "what", "can", "it", "of", "in", "on", "for",
    "me", "you", "your", "and", "or", "does", "should", "when", "why", "this", "that", "are",
];

/// The words of `text` as the search compares them: folded, split at anything but
/// letters and digits, an English plural's `s` taken off (a Vietnamese syllable never
/// ends in `s`).
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_string(),
            _ => w.to_string(),
        })
        .collect()
}

/// The terms of `text`: its words but the common ones, and each pair of neighbouring
/// words neither of which is common.
fn terms(text: &str) -> Vec<String> {
    let all = words(text);
    let stop = |w: &String| STOP.contains(&w.as_str());
    let mut out: Vec<String> = all.iter().filter(|w| !stop(w)).cloned().collect();
    out.extend(
        all.windows(2)
            .filter(|p| !stop(&p[0]) && !stop(&p[1]))
            .map(|p| format!("{} {}", p[0], p[1])),
    );
    out
}

/// One searchable piece: a lesson's step (`step` ≥ 1), or its title and summary (0).
#[derive(Clone, Debug)]
struct Passage {
    entry: usize,
    step: usize,
    /// How often each term occurs in it.
    counts: HashMap<String, u32>,
    length: usize,
}

/// The lessons made searchable.
#[derive(Clone, Debug)]
pub struct Index {
    entries: Vec<Entry>,
    passages: Vec<Passage>,
    /// In how many passages each term occurs.
    found_in: HashMap<String, u32>,
    mean_length: f64,
}

/// A step that answers, best first from `Index::ask`.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub lesson: String,
    /// 0 for the lesson's summary, else the step's number (from 1).
    pub step: usize,
    pub score: f64,
}

/// BM25's usual constants: how fast repeats stop counting, how much length matters.
const K1: f64 = 1.2;
const B: f64 = 0.75;

impl Index {
    pub fn new(entries: Vec<Entry>) -> Index {
        let mut passages = Vec::new();
        for (n, e) in entries.iter().enumerate() {
            let extra = e.also.join(" ");
            let head = format!("{} {} {extra}", e.title, e.summary);
            let texts =
                std::iter::once(head).chain(e.steps.iter().map(|s| format!("{} {s}", e.title)));
            for (step, text) in texts.enumerate() {
                let terms = terms(&text);
                let mut counts = HashMap::new();
                for t in &terms {
                    *counts.entry(t.clone()).or_insert(0) += 1;
                }
                passages.push(Passage {
                    entry: n,
                    step,
                    counts,
                    length: terms.len(),
                });
            }
        }
        let mut found_in = HashMap::new();
        for p in &passages {
            for t in p.counts.keys() {
                *found_in.entry(t.clone()).or_insert(0) += 1;
            }
        }
        let total: usize = passages.iter().map(|p| p.length).sum();
        let mean_length = total as f64 / passages.len().max(1) as f64;
        Index {
            entries,
            passages,
            found_in,
            mean_length,
        }
    }

    /// The best step of each of the (at most) `n` lessons that answer `question` best,
    /// best first; none when no word of it is in any lesson.
    pub fn ask(&self, question: &str, n: usize) -> Vec<Answer> {
        let mut asked = terms(question);
        asked.sort();
        asked.dedup();
        let all = self.passages.len() as f64;
        let mut best: HashMap<&str, Answer> = HashMap::new();
        for p in &self.passages {
            let length = p.length as f64 / self.mean_length.max(1.0);
            let score: f64 = asked
                .iter()
                .filter_map(|t| {
                    let f = f64::from(*p.counts.get(t)?);
                    let df = f64::from(self.found_in[t]);
                    let idf = (1.0 + (all - df + 0.5) / (df + 0.5)).ln();
                    Some(idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * length)))
                })
                .sum();
            if score <= 0.0 {
                continue;
            }
            let lesson = self.entries[p.entry].lesson.as_str();
            let better = best.get(lesson).is_none_or(|a| score > a.score);
            if better {
                best.insert(
                    lesson,
                    Answer {
                        lesson: lesson.to_string(),
                        step: p.step,
                        score,
                    },
                );
            }
        }
        let mut out: Vec<Answer> = best.into_values().collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.lesson.cmp(&b.lesson))
        });
        out.truncate(n);
        out
    }

    /// The words of an answer in `lang` (or Vietnamese): its lesson's title and the
    /// step, or the summary for step 0.
    pub fn text_of(&self, answer: &Answer, lang: &str) -> Option<(&str, &str)> {
        let of = |l: &str| {
            self.entries
                .iter()
                .find(|e| e.lesson == answer.lesson && e.lang == l)
        };
        let e = of(lang).or_else(|| of("vi"))?;
        let text = match answer.step {
            0 => e.summary.as_str(),
            s => e.steps.get(s - 1)?.as_str(),
        };
        Some((e.title.as_str(), text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(lesson: &str, lang: &str, title: &str, steps: &[&str]) -> Entry {
        Entry {
            lesson: lesson.into(),
            lang: lang.into(),
            title: title.into(),
            summary: String::new(),
            steps: steps.iter().map(|s| s.to_string()).collect(),
            also: Vec::new(),
        }
    }

    fn index() -> Index {
        Index::new(vec![
            entry(
                "passwords",
                "vi",
                "Mật khẩu và mã OTP",
                &[
                    "Đặt mật khẩu dài, khó đoán.",
                    "Không bao giờ đọc mã OTP cho ai.",
                ],
            ),
            entry(
                "passwords",
                "en",
                "Passwords and OTP codes",
                &[
                    "Choose a long password.",
                    "Never read an OTP code to anyone.",
                ],
            ),
            entry(
                "vneid",
                "vi",
                "Cài ứng dụng VNeID",
                &[
                    "Mở CH Play, tìm VNeID của Bộ Công an.",
                    "Đăng ký bằng số căn cước.",
                ],
            ),
            entry(
                "qr",
                "vi",
                "Trả tiền bằng mã QR",
                &["Mở ứng dụng ngân hàng, quét mã QR của người bán."],
            ),
        ])
    }

    #[test]
    fn folding_takes_off_every_vietnamese_mark() {
        assert_eq!(fold("Đăng ký Mật Khẩu"), "dang ky mat khau");
        assert_eq!(fold("ỨNG DỤNG ngân hàng"), "ung dung ngan hang");
        // "ẩ" typed as "a" + circumflex + hook above, as some keyboards send it.
        assert_eq!(fold("kha\u{302}\u{309}u"), "khau");
    }

    #[test]
    fn a_question_without_accents_finds_the_lesson_with_them() {
        let found = index().ask("mat khau la gi", 3);
        assert_eq!(found[0].lesson, "passwords");
        let found = index().ask("lam sao cai vneid", 3);
        assert_eq!(found[0].lesson, "vneid");
    }

    #[test]
    fn either_language_finds_the_lesson_and_it_is_listed_once() {
        let found = index().ask("how do I keep my password safe", 3);
        assert_eq!(found[0].lesson, "passwords");
        assert_eq!(
            found.iter().filter(|a| a.lesson == "passwords").count(),
            1,
            "its best step only"
        );
    }

    #[test]
    fn the_step_that_answers_is_the_one_shown() {
        let index = index();
        let found = index.ask("có nên đọc mã OTP cho người gọi điện không", 1);
        assert_eq!(found[0].step, 2);
        assert_eq!(
            index.text_of(&found[0], "en"),
            Some((
                "Passwords and OTP codes",
                "Never read an OTP code to anyone."
            )),
            "in the reader's language"
        );
    }

    #[test]
    fn a_pair_of_words_counts_more_than_the_same_words_apart() {
        // "mã" and "QR" are in both; only the QR lesson has them side by side... and the
        // passwords lesson has "mã OTP": the pair decides.
        let found = index().ask("ma qr", 3);
        assert_eq!(found[0].lesson, "qr");
    }

    #[test]
    fn nothing_in_common_finds_nothing() {
        assert!(index().ask("thời tiết ngày mai", 3).is_empty());
        assert!(index().ask("   ", 3).is_empty());
    }
}
