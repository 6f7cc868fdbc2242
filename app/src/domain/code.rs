//! The codes people read aloud and type: family codes, invitation codes and a
//! volunteer's pairing codes. Ten characters a person can say and type (no 0/O, 1/I),
//! shown as two groups of five: 50 bits, so guessing stays hopeless within the rate
//! limits. Made on the server; checked on the phone and the server alike.

pub const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
pub const LEN: usize = 10;

/// A code from 56 random bits (the last 6 unused).
pub fn from_bytes(bytes: &[u8; 7]) -> String {
    let bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64);
    (0..LEN)
        .map(|i| ALPHABET[((bits >> (55 - i * 5)) & 31) as usize] as char)
        .collect()
}

/// Whether `s` is a code as stored: exactly the ten characters, upper case.
pub fn is_code(s: &str) -> bool {
    s.len() == LEN && s.bytes().all(|b| ALPHABET.contains(&b))
}

/// A code as typed, made comparable; `None` if it cannot be a code at all.
pub fn normalise(typed: &str) -> Option<String> {
    if typed.len() > 40 {
        return None;
    }
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    is_code(&code).then_some(code)
}

/// `ABCDE-FGHJK`: how a code is shown, easier to read aloud.
pub fn grouped(code: &str) -> String {
    match (code.get(..5), code.get(5..)) {
        (Some(a), Some(b)) if code.len() == LEN => format!("{a}-{b}"),
        _ => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ten_unambiguous_characters() {
        let code = from_bytes(&[0xff, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a]);
        assert_eq!(code.len(), 10);
        assert!(code.chars().all(|c| !"01OI".contains(c)));
        assert_eq!(normalise(&code), Some(code.clone()));
        assert_eq!(normalise(&grouped(&code)), Some(code));
    }

    #[test]
    fn typed_codes_forgive_case_spaces_and_dashes_but_nothing_else() {
        assert_eq!(normalise(" abcde-fghjk "), Some("ABCDEFGHJK".into()));
        assert_eq!(normalise("ABCDE FGHJ"), None);
        assert_eq!(normalise("ABCDEFGHJ0"), None);
        assert_eq!(normalise("ABCDÉFGHJK"), None);
        assert_eq!(normalise("' OR 1=1 --"), None);
        assert!(!is_code("abcdefghjk"), "stored codes are upper case");
    }
}
