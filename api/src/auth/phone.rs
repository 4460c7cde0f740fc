//! Chinese mobile numbers: parsed once, stored encrypted (XChaCha20-Poly1305) and found by a
//! keyed hash (HMAC-SHA256), shown masked to anyone but the owner.

use base64::{engine::general_purpose::STANDARD_NO_PAD as B64, Engine};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::FieldError;

#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl std::fmt::Debug for Phone {
    // Debug output must never leak the number into logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl Phone {
    /// Accepts `^1[3-9]\d{9}$`, after trimming spaces and an optional +86 prefix.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = compact.strip_prefix("+86").unwrap_or(&compact);
        let b = digits.as_bytes();
        let ok = b.len() == 11
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
            && b.iter().all(u8::is_ascii_digit);
        if ok {
            Ok(Phone(digits.to_string()))
        } else {
            Err(FieldError::new(
                "phone",
                "invalid_phone",
                "must be an 11-digit mainland China mobile number, e.g. 13812345678",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// `13812341234` -> `138****1234`.
pub fn mask(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "***".into()
    }
}

/// A 32-byte subkey of `data_key` for one purpose: HMAC-SHA256(data_key, label).
pub fn derive_key(data_key: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(data_key).expect("hmac takes any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

/// Lower-case hex of HMAC-SHA256(key, msg): a lookup value that cannot be reversed without the
/// key.
pub fn keyed_hex(key: &[u8], msg: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("hmac takes any key length");
    mac.update(msg);
    hex::encode(mac.finalize().into_bytes())
}

pub struct PhoneCrypto {
    cipher: XChaCha20Poly1305,
    hash_key: [u8; 32],
}

impl PhoneCrypto {
    /// Derives independent encryption and lookup keys from the data key.
    pub fn new(data_key: &[u8]) -> Self {
        let enc_key = derive_key(data_key, b"warmnew/phone-encryption/v1");
        Self {
            cipher: XChaCha20Poly1305::new_from_slice(&enc_key).expect("32-byte key"),
            hash_key: derive_key(data_key, b"warmnew/phone-lookup/v1"),
        }
    }

    pub fn lookup_hash(&self, phone: &Phone) -> String {
        keyed_hex(&self.hash_key, phone.as_str().as_bytes())
    }

    pub fn encrypt(&self, phone: &Phone) -> String {
        self.encrypt_text(phone.as_str())
    }

    /// Other personal data at rest (a hotline caller's phone or e-mail), under the same key.
    pub fn encrypt_text(&self, text: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, text.as_bytes())
            .expect("encryption of a short string");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        B64.encode(out)
    }

    /// None when the stored value cannot be opened (wrong key or tampered).
    pub fn decrypt(&self, stored: &str) -> Option<String> {
        let raw = B64.decode(stored).ok()?;
        if raw.len() < 24 {
            return None;
        }
        let (nonce, sealed) = raw.split_at(24);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), sealed)
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_china_mobiles_only() {
        assert_eq!(Phone::parse("13812345678").unwrap().as_str(), "13812345678");
        assert_eq!(
            Phone::parse("+86 138 1234 5678").unwrap().as_str(),
            "13812345678"
        );
        for bad in [
            "",
            "12812345678",
            "1381234567",
            "138123456789",
            "1381234567a",
            "+1 13812345678",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn masks_and_never_debugs_the_number() {
        let p = Phone::parse("13812341234").unwrap();
        assert_eq!(p.masked(), "138****1234");
        assert!(!format!("{p:?}").contains("13812341234"));
    }

    #[test]
    fn encrypts_round_trip_and_hashes_stably() {
        let c = PhoneCrypto::new(b"0123456789abcdef0123456789abcdef");
        let p = Phone::parse("13912345678").unwrap();
        let a = c.encrypt(&p);
        assert_ne!(a, c.encrypt(&p), "random nonce per encryption");
        assert!(!a.contains("13912345678"));
        assert_eq!(c.decrypt(&a).as_deref(), Some("13912345678"));
        assert_eq!(c.lookup_hash(&p), c.lookup_hash(&p));
        let other = PhoneCrypto::new(b"another-key-another-key-another-k");
        assert_ne!(c.lookup_hash(&p), other.lookup_hash(&p));
        assert_eq!(other.decrypt(&a), None);
    }

    #[test]
    fn keyed_hashes_match_the_stored_construction() {
        // Known answers (HMAC(HMAC(data_key, label), msg)): stored hashes must never change.
        let data_key = b"0123456789abcdef0123456789abcdef";
        let c = PhoneCrypto::new(data_key);
        assert_eq!(
            c.lookup_hash(&Phone::parse("13912345678").unwrap()),
            "7b2d87bbdbccfc1ec5bc550b543dc02d60c74ef8eae505debe72f7ec15323516"
        );
        let key = derive_key(data_key, b"warmnew/redemption-code/v1");
        assert_eq!(
            keyed_hex(&key, b"123456"),
            "51e4cb028b3afa21fe5db298ff7dcf3de0770bb8490fd483ad57a37552bc4b7a"
        );
    }
}
