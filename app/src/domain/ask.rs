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
//! step rarely names its topic), and a lesson's title and summary are its step 0.

use super::content::Content;
use std::collections::BTreeMap;

/// A lesson's words in one language, as the search needs them: what the service worker
/// keeps on the phone (built from content by the server at start).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub lesson: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub steps: Vec<String>,
}

/// Every lesson in every language of `content`.
pub fn entries(content: &Content) -> Vec<Entry> {
    let mut out = Vec::new();
    // Only what a page shows as an answer: the quizzes' and checklists' words raised the
    // first answer's hit rate by 1.5 points and cost the precache 9 KB (README).
    for lesson in &content.lessons {
        for (lang, text) in &lesson.text {
            out.push(Entry {
                lesson: lesson.id.clone(),
                lang: lang.clone(),
                title: text.title.clone(),
                summary: text.summary.clone(),
                steps: text.steps.clone(),
            });
        }
    }
    out
}

/// Between entries, fields and list items of the index as the phone gets it: plain text
/// cut at control characters no lesson contains (the content check refuses them), so
/// the phone needs no JSON parser (components/dom.rs says why).
const ENTRY: char = '\u{1e}';
const FIELD: char = '\u{1f}';
const ITEM: char = '\u{1d}';

/// True if `text` holds none of the characters the index is cut at.
pub fn fits_index(text: &str) -> bool {
    !text.contains([ENTRY, FIELD, ITEM])
}

/// The index as the phone gets it: each entry's lesson, language, title, summary and
/// steps, in that order.
pub fn index_text(entries: &[Entry]) -> String {
    let list = |items: &[String]| items.join(&ITEM.to_string());
    entries
        .iter()
        .map(|e| {
            [
                e.lesson.as_str(),
                &e.lang,
                &e.title,
                &e.summary,
                &list(&e.steps),
            ]
            .join(&FIELD.to_string())
        })
        .collect::<Vec<_>>()
        .join(&ENTRY.to_string())
}

/// The entries of `index_text`'s text (`None` if it is not one).
pub fn entries_from_text(text: &str) -> Option<Vec<Entry>> {
    let list = |s: &str| -> Vec<String> {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split(ITEM).map(String::from).collect()
        }
    };
    text.split(ENTRY)
        .map(|entry| {
            let f: Vec<&str> = entry.split(FIELD).collect();
            let [lesson, lang, title, summary, steps] = f.as_slice() else {
                return None;
            };
            Some(Entry {
                lesson: lesson.to_string(),
                lang: lang.to_string(),
                title: title.to_string(),
                summary: summary.to_string(),
                steps: list(steps),
            })
        })
        .collect()
}

/// `text` in lower case without Vietnamese marks: `Đăng ký` → `dang ky`. Marks typed
/// as separate combining characters (some keyboards do) are dropped too. Letters of other
/// alphabets stay as they are (and split words): the lessons are Vietnamese and English,
/// and a table of Vietnamese letters costs the phone far less than Unicode's case tables.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(plain)
        .collect()
}

/// Each base letter and its Vietnamese forms, lower and upper case.
const MARKED: [(char, &str); 7] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"),
    ('e', "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ"),
    ('i', "ìíỉĩịÌÍỈĨỊ"),
    ('o', "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"),
    ('u', "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ"),
    ('y', "ỳýỷỹỵỲÝỶỸỴ"),
    ('d', "đĐ"),
];

fn plain(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
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
        .split(|c: char| !c.is_ascii_alphanumeric())
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
    /// Each of its terms (by number) and how often it occurs in it.
    counts: Vec<(u32, u32)>,
    length: usize,
}

impl Passage {
    fn count(&self, term: u32) -> u32 {
        self.counts
            .iter()
            .find(|(t, _)| *t == term)
            .map_or(0, |(_, n)| *n)
    }
}

/// The lessons made searchable. Terms are numbered, so one map (word → number) is all
/// the phone's code keeps of the kind: each other kind of map costs kilobytes of wasm.
#[derive(Clone, Debug)]
pub struct Index {
    entries: Vec<Entry>,
    passages: Vec<Passage>,
    numbers: BTreeMap<String, u32>,
    /// In how many passages each term occurs, by number.
    found_in: Vec<u32>,
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
        let mut numbers: BTreeMap<String, u32> = BTreeMap::new();
        let mut found_in: Vec<u32> = Vec::new();
        let mut passages = Vec::new();
        for (n, e) in entries.iter().enumerate() {
            let head = format!("{} {}", e.title, e.summary);
            let texts =
                std::iter::once(head).chain(e.steps.iter().map(|s| format!("{} {s}", e.title)));
            for (step, text) in texts.enumerate() {
                let terms = terms(&text);
                let mut counts: Vec<(u32, u32)> = Vec::new();
                for t in &terms {
                    let next = numbers.len() as u32;
                    let term = *numbers.entry(t.clone()).or_insert(next);
                    match counts.iter_mut().find(|(c, _)| *c == term) {
                        Some((_, times)) => *times += 1,
                        None => counts.push((term, 1)),
                    }
                }
                found_in.resize(numbers.len(), 0);
                for (term, _) in &counts {
                    found_in[*term as usize] += 1;
                }
                passages.push(Passage {
                    entry: n,
                    step,
                    counts,
                    length: terms.len(),
                });
            }
        }
        let total: usize = passages.iter().map(|p| p.length).sum();
        let mean_length = total as f64 / passages.len().max(1) as f64;
        Index {
            entries,
            passages,
            numbers,
            found_in,
            mean_length,
        }
    }

    /// The best step of each of the (at most) `n` lessons that answer `question` best,
    /// best first; none when no word of it is in any lesson.
    pub fn ask(&self, question: &str, n: usize) -> Vec<Answer> {
        let mut asked: Vec<u32> = Vec::new();
        for t in terms(question) {
            if let Some(&term) = self.numbers.get(&t) {
                if !asked.contains(&term) {
                    asked.push(term);
                }
            }
        }
        let all = self.passages.len() as f64;
        // Each lesson's best step, in the order of the lessons.
        let mut best: Vec<Answer> = Vec::new();
        for p in &self.passages {
            let length = p.length as f64 / self.mean_length.max(1.0);
            let mut score = 0.0;
            for &term in &asked {
                let f = f64::from(p.count(term));
                if f > 0.0 {
                    let df = f64::from(self.found_in[term as usize]);
                    let idf = (1.0 + (all - df + 0.5) / (df + 0.5)).ln();
                    score += idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * length));
                }
            }
            if score <= 0.0 {
                continue;
            }
            let lesson = &self.entries[p.entry].lesson;
            match best.iter_mut().find(|a| &a.lesson == lesson) {
                Some(a) if a.score >= score => {}
                Some(a) => {
                    a.step = p.step;
                    a.score = score;
                }
                None => best.push(Answer {
                    lesson: lesson.clone(),
                    step: p.step,
                    score,
                }),
            }
        }
        // Best first, equal scores in the order of the lessons; kept by hand rather than
        // sorted: each sort the phone's code instantiates costs kilobytes of wasm.
        let mut out: Vec<Answer> = Vec::with_capacity(n + 1);
        for a in best {
            let at = out
                .iter()
                .position(|o| a.score > o.score)
                .unwrap_or(out.len());
            if at < n {
                out.insert(at, a);
                out.truncate(n);
            }
        }
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

/// An answer as a page shows it, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub lesson: String,
    pub title: String,
    /// 0: `text` is the lesson's summary; else the step's number.
    pub step: usize,
    pub text: String,
}

impl Shown {
    /// Where in its lesson the answer is, in the reader's words: `step` with `{n}` the
    /// step's number, or `summary`.
    pub fn place(&self, step: &str, summary: &str) -> String {
        match self.step {
            0 => summary.to_string(),
            n => step.replace("{n}", &n.to_string()),
        }
    }
}

/// The longest question looked at: a pasted page asks nothing more.
pub const MAX_QUESTION_CHARS: usize = 200;

/// How many lessons an answer lists.
pub const ANSWERS: usize = 3;

/// The answers to `question` as shown to a reader of `lang`: what the server renders
/// and what the phone computes offline, the same.
pub fn shown(index: &Index, question: &str, lang: &str) -> Vec<Shown> {
    let question: String = question.chars().take(MAX_QUESTION_CHARS).collect();
    index
        .ask(&question, ANSWERS)
        .iter()
        .filter_map(|a| {
            let (title, text) = index.text_of(a, lang)?;
            Some(Shown {
                lesson: a.lesson.clone(),
                title: title.to_string(),
                step: a.step,
                text: text.to_string(),
            })
        })
        .collect()
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
    fn an_answer_is_shown_in_the_readers_language_with_its_step() {
        let shown = shown(&index(), "doc ma otp cho nguoi la", "en");
        assert_eq!(
            shown[0],
            Shown {
                lesson: "passwords".into(),
                title: "Passwords and OTP codes".into(),
                step: 2,
                text: "Never read an OTP code to anyone.".into(),
            }
        );
    }

    #[test]
    fn the_index_reaches_the_phone_as_it_was_made() {
        let mut entries = index().entries.clone();
        entries[0].summary = "một, hai".into();
        entries[1].steps.clear();
        let text = index_text(&entries);
        assert_eq!(entries_from_text(&text), Some(entries));
        assert_eq!(entries_from_text("not an index"), None);
        assert!(!fits_index("a\u{1f}b"));
    }

    #[test]
    fn nothing_in_common_finds_nothing() {
        assert!(index().ask("thời tiết ngày mai", 3).is_empty());
        assert!(index().ask("   ", 3).is_empty());
    }
}
