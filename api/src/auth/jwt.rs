//! HS256 access tokens with `iss`, `aud`, `sub`, `exp`, `iat`, `role` and `token_version`,
//! all required and checked, plus `sid` (the session, i.e. refresh-token family) and a `kid`
//! header naming the key. Rotation: the current key signs; the previous one is still accepted,
//! which lasts one token lifetime because nothing is signed with it any more.

use chrono::Utc;
use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Role;
use crate::config::AuthSettings;

/// Clock skew tolerated on `exp`, in seconds.
const LEEWAY_SECS: u64 = 30;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub role: Role,
    pub token_version: i32,
    /// The session (refresh-token family) the token was issued to: logging that session out
    /// voids its access tokens at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
}

struct Key {
    id: String,
    decoding: DecodingKey,
}

impl Key {
    fn new(secret: &[u8]) -> Self {
        Self {
            id: key_id(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

/// A key's public name: a digest of it, so rotating the secret changes the `kid` by itself
/// and the secret is not revealed.
pub fn key_id(secret: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(b"warmnew-jwt-kid:")
        .chain_update(secret)
        .finalize();
    hex::encode(&digest[..8])
}

pub struct JwtKeys {
    encoding: EncodingKey,
    current: Key,
    previous: Option<Key>,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: i64,
}

impl JwtKeys {
    pub fn new(secret: &[u8], previous: Option<&[u8]>, cfg: &AuthSettings) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub", "iat"]);
        validation.set_issuer(&[cfg.issuer.as_str()]);
        validation.set_audience(&[cfg.audience.as_str()]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            current: Key::new(secret),
            previous: previous.map(Key::new),
            validation,
            issuer: cfg.issuer.clone(),
            audience: cfg.audience.clone(),
            ttl_secs: cfg.access_ttl_secs,
        }
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        role: Role,
        token_version: i32,
        sid: Option<Uuid>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + self.ttl_secs,
            role,
            token_version,
            sid,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.current.id.clone());
        encode(&header, &claims, &self.encoding)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        // A token without a `kid`, or naming a key we do not hold, is refused before any
        // signature check.
        let kid = decode_header(token)?.kid;
        let key = [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .find(|k| kid.as_deref() == Some(k.id.as_str()))
            .ok_or(jsonwebtoken::errors::ErrorKind::InvalidSignature)?;
        let claims = decode::<Claims>(token, &key.decoding, &self.validation)?.claims;
        // jsonwebtoken checks `nbf` but not `iat`: a token "issued" in the future was not
        // issued by us (our clock) and would outlive its stated lifetime.
        if claims.iat > Utc::now().timestamp() + LEEWAY_SECS as i64 {
            return Err(jsonwebtoken::errors::ErrorKind::ImmatureSignature.into());
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};

    fn header(secret: &[u8]) -> Header {
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some(key_id(secret));
        h
    }

    fn keys(secret: &[u8]) -> JwtKeys {
        JwtKeys::new(secret, None, &AuthSettings::default())
    }

    #[test]
    fn round_trip() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let id = Uuid::now_v7();
        let claims = k
            .verify(&k.issue(id, Role::Staff, 3, None).unwrap())
            .unwrap();
        assert_eq!(
            (claims.sub, claims.role, claims.token_version),
            (id, Role::Staff, 3)
        );
    }

    #[test]
    fn rejects_other_key_alg_none_and_missing_claims() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let other = keys(b"another-secret-another-secret-xx");
        let token = other.issue(Uuid::now_v7(), Role::Admin, 0, None).unwrap();
        assert!(k.verify(&token).is_err());

        let body = B64.encode(
            serde_json::json!({"sub": Uuid::now_v7(), "iss":"warmnew","aud":"warmnew-api",
                "exp": Utc::now().timestamp()+600, "iat": Utc::now().timestamp(),
                "role":"admin","token_version":0})
            .to_string(),
        );
        let none = format!("{}.{}.", B64.encode(r#"{"alg":"none","typ":"JWT"}"#), body);
        assert!(k.verify(&none).is_err());

        let no_aud = serde_json::json!({"sub": Uuid::now_v7(), "iss":"warmnew",
            "exp": Utc::now().timestamp()+600, "iat": Utc::now().timestamp(), "role":"admin","token_version":0});
        let t = encode(
            &header(b"0123456789abcdef0123456789abcdef"),
            &no_aud,
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap();
        assert!(k.verify(&t).is_err());
    }

    #[test]
    fn rejects_a_future_iat_or_nbf() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let cfg = AuthSettings::default();
        let now = Utc::now().timestamp();
        let claims = |extra: serde_json::Value| {
            let mut c = serde_json::json!({"sub": Uuid::now_v7(), "iss": cfg.issuer, "aud": cfg.audience,
                "exp": now + 600, "iat": now, "role": "rider", "token_version": 0});
            c.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            encode(
                &header(b"0123456789abcdef0123456789abcdef"),
                &c,
                &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
            )
            .unwrap()
        };
        assert!(k.verify(&claims(serde_json::json!({}))).is_ok());
        assert!(k
            .verify(&claims(serde_json::json!({"iat": now + 3600})))
            .is_err());
        assert!(k
            .verify(&claims(serde_json::json!({"nbf": now + 3600})))
            .is_err());
        assert!(
            k.verify(&claims(serde_json::json!({"iat": now + 10})))
                .is_ok(),
            "clock skew"
        );
    }

    #[test]
    fn rejects_expired_beyond_leeway() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let k = keys(secret);
        let now = Utc::now().timestamp();
        let claims = serde_json::json!({"sub": Uuid::now_v7(), "iss":"warmnew","aud":"warmnew-api",
            "exp": now - 31, "iat": now - 900, "role":"rider","token_version":0});
        let t = encode(&header(secret), &claims, &EncodingKey::from_secret(secret)).unwrap();
        assert!(k.verify(&t).is_err());
    }
}

#[cfg(test)]
mod rotation {
    use super::*;

    const OLD: &[u8] = b"old-secret-old-secret-old-secret";
    const NEW: &[u8] = b"new-secret-new-secret-new-secret";

    #[test]
    fn the_previous_key_is_accepted_and_an_unknown_or_missing_kid_is_not() {
        let cfg = AuthSettings::default();
        let before = JwtKeys::new(OLD, None, &cfg);
        let after = JwtKeys::new(NEW, Some(OLD), &cfg);
        let old_token = before.issue(Uuid::now_v7(), Role::Rider, 0, None).unwrap();
        assert!(after.verify(&old_token).is_ok(), "previous key");
        let new_token = after.issue(Uuid::now_v7(), Role::Rider, 0, None).unwrap();
        assert_eq!(decode_header(&new_token).unwrap().kid, Some(key_id(NEW)));
        assert!(before.verify(&new_token).is_err(), "unknown kid");
        let dropped = JwtKeys::new(NEW, None, &cfg);
        assert!(dropped.verify(&old_token).is_err(), "previous key retired");

        // Right key, but the header names none (or another) key.
        let claims = serde_json::json!({"sub": Uuid::now_v7(), "iss": cfg.issuer, "aud": cfg.audience,
            "exp": Utc::now().timestamp() + 600, "iat": Utc::now().timestamp(),
            "role": "rider", "token_version": 0});
        let bare = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(NEW),
        )
        .unwrap();
        assert!(after.verify(&bare).is_err(), "missing kid");
        let mut wrong = Header::new(Algorithm::HS256);
        wrong.kid = Some(key_id(OLD));
        let forged = encode(&wrong, &claims, &EncodingKey::from_secret(NEW)).unwrap();
        assert!(after.verify(&forged).is_err(), "kid names another key");
    }
}
