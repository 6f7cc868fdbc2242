//! A phone's place in its household's event sequence, signed by the server so that only
//! places the server handed out are believed.

use super::Db;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Where a phone is in its household's sequence: the epoch, the last position it read
/// and the event there, signed by the server. Opaque to the phone: it sends back what it
/// was given. (Unsigned, a member could send a position far ahead and make every phone
/// of the family start over.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub epoch: String,
    pub seq: i64,
    #[serde(default)]
    pub event_id: Option<String>,
    #[serde(default)]
    pub sig: String,
}

impl Cursor {
    pub(super) fn signed(
        db: &Db,
        household_id: &str,
        epoch: String,
        seq: i64,
        event_id: Option<String>,
    ) -> Cursor {
        let mut cursor = Cursor {
            epoch,
            seq,
            event_id,
            sig: String::new(),
        };
        cursor.sig = super::hex(&cursor.mac(db, household_id).finalize().into_bytes());
        cursor
    }

    fn mac(&self, db: &Db, household_id: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(db.membership_key()).expect("HMAC takes any key length");
        mac.update(
            format!(
                "hocso cursor\n{household_id}\n{}\n{}\n{}",
                self.epoch,
                self.seq,
                self.event_id.as_deref().unwrap_or("")
            )
            .as_bytes(),
        );
        mac
    }

    /// True when the server made this cursor for this household.
    pub(super) fn genuine(&self, db: &Db, household_id: &str) -> bool {
        let expected = super::hex(&self.mac(db, household_id).finalize().into_bytes());
        expected.len() == self.sig.len()
            && expected
                .bytes()
                .zip(self.sig.bytes())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y))
                == 0
    }
}
