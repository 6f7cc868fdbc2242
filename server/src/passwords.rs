//! Password hashing: argon2id with the crate's default cost (19 MiB, 2 passes — OWASP's
//! recommended minimum), off the async threads because each hash takes tens of
//! milliseconds on purpose.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// A PHC-format argon2id hash of `password` with a fresh random salt.
pub async fn hash(password: &str) -> Result<String, HashError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&crate::db::random_bytes::<16>())
            .map_err(|e| HashError(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| HashError(e.to_string()))
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
}

/// True when `password` matches `stored`. With no stored hash (an unknown login) a dummy
/// one is checked, so an unknown name and a wrong password take the same time.
pub async fn verify(password: &str, stored: Option<&str>) -> bool {
    let password = password.to_string();
    let stored = stored.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let dummy = dummy();
        let known = stored.is_some();
        let text = stored.unwrap_or(dummy);
        let Ok(parsed) = PasswordHash::new(&text) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        known && ok
    })
    .await
    .unwrap_or(false)
}

/// A valid hash of nothing anyone types, made once.
fn dummy() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let salt = SaltString::encode_b64(&[7u8; 16]).expect("16 bytes encode");
            Argon2::default()
                .hash_password(&crate::db::random_bytes::<32>(), &salt)
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_opens_its_hash_and_nothing_else_does() {
        let stored = hash("mật khẩu của Hoa").await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("mật khẩu của Hoa", Some(&stored)).await);
        assert!(!verify("mat khau cua Hoa", Some(&stored)).await);
        assert!(!verify("anything", None).await);
        assert_ne!(stored, hash("mật khẩu của Hoa").await.unwrap(), "salted");
    }
}
