//! Read-aloud rules (issue 12): how a text is cut into the sentences the phone's voice
//! reads one at a time (and the page highlights), which of the phone's voices reads a
//! page, and how fast.

/// How fast the voice reads: people who are new to a language or to reading follow a
/// slower voice better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    Normal,
    Slow,
}

impl Pace {
    /// The Web Speech API's `rate` (1 is the voice's own speed).
    pub fn rate(self) -> f32 {
        match self {
            Pace::Normal => 1.0,
            Pace::Slow => 0.7,
        }
    }
}

/// The sentences of `text`, in order, each trimmed. A sentence ends at `.`, `!`, `?`
/// or `…` (with any closing quotes or brackets after it) followed by a space — so
/// "1.000.000 đồng", "Wi‑Fi" and "tel: 0912…" stay whole — and only once it holds a
/// letter, so a numbered prefix such as "1. " is not read on its own. One utterance a
/// sentence keeps each short (some voices stop after about 15 seconds of one utterance)
/// and lets the page show which sentence is being read.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_letter = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        has_letter |= c.is_alphabetic();
        if !matches!(c, '.' | '!' | '?' | '…') || !has_letter {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if matches!(next, '"' | '”' | '’' | '»' | ')' | '.' | '!' | '?' | '…') {
                end = j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        if chars.peek().is_none_or(|&(_, next)| next.is_whitespace()) {
            push_trimmed(&mut out, &text[start..end]);
            start = end;
            has_letter = false;
        }
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s);
    }
}

/// What the phone says about one of its voices (`SpeechSynthesisVoice`).
#[derive(Clone, Debug, PartialEq)]
pub struct Voice {
    /// A BCP 47 tag as the phone gives it: "vi-VN", "vi_VN", "en-US".
    pub lang: String,
    /// False when the voice is made by a server: it needs a signal.
    pub local: bool,
    /// The phone's default voice.
    pub default: bool,
}

/// The voice that reads a page in `lang` (a language code, "vi"), if the phone has one:
/// a voice on the phone before one that needs a signal, the phone's default before the
/// others, and otherwise the first, as the phone lists them.
pub fn pick_voice(voices: &[Voice], lang: &str) -> Option<usize> {
    let speaks = |v: &Voice| {
        let tag = v.lang.to_ascii_lowercase();
        tag.strip_prefix(lang)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_']))
    };
    voices
        .iter()
        .enumerate()
        .filter(|(_, v)| speaks(v))
        .min_by_key(|(i, v)| (!v.local, !v.default, *i))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_read_sentence_by_sentence() {
        assert_eq!(
            sentences("Bấm nút nguồn ở cạnh máy để mở màn hình. Vuốt từ dưới lên để mở khoá."),
            vec![
                "Bấm nút nguồn ở cạnh máy để mở màn hình.",
                "Vuốt từ dưới lên để mở khoá."
            ]
        );
    }

    #[test]
    fn numbers_prices_and_numbered_questions_stay_whole() {
        assert_eq!(
            sentences("1. Giá 1.000.000 đồng có đắt không?"),
            vec!["1. Giá 1.000.000 đồng có đắt không?"]
        );
        assert_eq!(
            sentences("Bật Wi‑Fi rồi chờ... Xong!"),
            vec!["Bật Wi‑Fi rồi chờ...", "Xong!"]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("Chọn «Cài đặt.» Sau đó bấm \"Lưu.\"  "),
            vec!["Chọn «Cài đặt.»", "Sau đó bấm \"Lưu.\""]
        );
    }

    #[test]
    fn a_text_without_an_end_mark_is_one_sentence_and_nothing_is_none() {
        assert_eq!(sentences("Chạm nhẹ một lần"), vec!["Chạm nhẹ một lần"]);
        assert!(sentences("   ").is_empty());
    }

    #[test]
    fn the_sentences_hold_every_word_of_the_text() {
        let text = "Hỏi: ai gọi? Đừng đọc mã OTP! Gác máy… Rồi gọi lại số thật.";
        let joined = sentences(text).join(" ");
        assert_eq!(joined, text);
    }

    fn voice(lang: &str, local: bool, default: bool) -> Voice {
        Voice {
            lang: lang.into(),
            local,
            default,
        }
    }

    #[test]
    fn a_page_is_read_by_a_voice_of_its_language_on_the_phone_first() {
        let voices = [
            voice("en-US", true, true),
            voice("vi-VN", false, false),
            voice("vi_VN", true, false),
        ];
        assert_eq!(pick_voice(&voices, "vi"), Some(2));
        assert_eq!(pick_voice(&voices, "en"), Some(0));
    }

    #[test]
    fn a_voice_that_needs_a_signal_is_still_a_voice() {
        let voices = [voice("vi-VN", false, false)];
        assert_eq!(pick_voice(&voices, "vi"), Some(0));
    }

    #[test]
    fn no_voice_for_the_language_is_none_and_a_prefix_is_not_a_language() {
        let voices = [voice("en-GB", true, true), voice("vie", true, false)];
        assert_eq!(pick_voice(&voices, "vi"), None);
        assert_eq!(pick_voice(&[], "vi"), None);
    }

    #[test]
    fn slow_is_slower() {
        assert!(Pace::Slow.rate() < Pace::Normal.rate());
    }
}
