//! The people who work with households, and what each may do: a province administrator
//! keeps the province; a commune official keeps a commune; a team lead guides a team of
//! volunteers; a volunteer (digital ambassador) guides households. Households themselves
//! have no accounts.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Official,
    Lead,
    Volunteer,
}

/// The longest name an account may show (a volunteer's name travels with what they
/// record, so the households' phones check it too).
pub const MAX_ACCOUNT_NAME_CHARS: usize = 60;

/// Why a display name cannot be an account's, if it cannot.
pub fn account_name_problem(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        Some("the name is empty")
    } else if name.chars().count() > MAX_ACCOUNT_NAME_CHARS {
        Some("the name is longer than 60 characters")
    } else if !super::profile::is_plain_text(name) {
        Some("the name contains control or invisible characters")
    } else {
        None
    }
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Official, Role::Lead, Role::Volunteer];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Official => "official",
            Role::Lead => "lead",
            Role::Volunteer => "volunteer",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The roles this role may invite: an administrator invites commune officials (and
    /// other administrators); an official invites the team leads and volunteers of their
    /// commune. Leads and volunteers invite nobody.
    pub fn may_invite(self, other: Role) -> bool {
        matches!(
            (self, other),
            (Role::Admin, Role::Admin | Role::Official)
                | (Role::Official, Role::Lead | Role::Volunteer)
        )
    }

    /// Whether the account's area is a commune (officials, leads, volunteers) or the
    /// whole province (administrators).
    pub fn works_in_a_commune(self) -> bool {
        self != Role::Admin
    }
}

/// The provincial plan's measure of a digital ambassador: at least this many mentees.
pub const MENTEE_TARGET: usize = 5;

/// The longest password a person may choose (argon2 hashes any length; this bounds the
/// work a sign-in can ask of the server).
pub const MAX_PASSWORD_BYTES: usize = 128;
/// The shortest: long enough to resist guessing under the sign-in limits, short enough
/// to type on a phone.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Why a password cannot be used, if it cannot.
pub fn password_problem(password: &str) -> Option<&'static str> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some("too_short")
    } else if password.len() > MAX_PASSWORD_BYTES {
        Some("too_long")
    } else {
        None
    }
}

/// A sign-in name as typed, made comparable: a phone number keeps its digits (with a
/// leading `+84` read as `0`), a username is lowercased. `None` if it can be neither.
pub fn normalise_login(typed: &str) -> Option<String> {
    let t = typed.trim();
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let phone = digits
        .strip_prefix("+84")
        .map(|rest| format!("0{rest}"))
        .unwrap_or(digits);
    if !phone.is_empty() && phone.bytes().all(|b| b.is_ascii_digit()) {
        return (9..=12).contains(&phone.len()).then_some(phone);
    }
    let name = t.to_lowercase();
    let ok = (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
        && name.as_bytes()[0].is_ascii_lowercase();
    ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_invites_whom_follows_the_plan() {
        assert!(Role::Admin.may_invite(Role::Official));
        assert!(Role::Official.may_invite(Role::Volunteer));
        assert!(Role::Official.may_invite(Role::Lead));
        assert!(!Role::Official.may_invite(Role::Official));
        assert!(!Role::Official.may_invite(Role::Admin));
        assert!(!Role::Lead.may_invite(Role::Volunteer));
        assert!(!Role::Volunteer.may_invite(Role::Volunteer));
        assert!(Role::ALL.iter().all(|r| Role::parse(r.code()) == Some(*r)));
    }

    #[test]
    fn phone_numbers_and_usernames_read_the_same_however_typed() {
        assert_eq!(normalise_login(" 0912 345 678 "), Some("0912345678".into()));
        assert_eq!(
            normalise_login("+84 912.345.678"),
            Some("0912345678".into())
        );
        assert_eq!(normalise_login("Hoa.Nguyen"), Some("hoa.nguyen".into()));
        assert_eq!(normalise_login("12"), None);
        assert_eq!(normalise_login("hoa nguyen"), None);
        assert_eq!(normalise_login("hòa"), None);
        assert_eq!(normalise_login("' or 1=1"), None);
    }

    #[test]
    fn passwords_are_long_enough_and_bounded() {
        assert_eq!(password_problem("short"), Some("too_short"));
        assert_eq!(password_problem("mật khẩu dài"), None);
        assert_eq!(password_problem(&"x".repeat(200)), Some("too_long"));
    }
}
