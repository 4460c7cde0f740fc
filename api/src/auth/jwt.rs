//! HS256 access tokens with `iss`, `aud`, `sub`, `exp`, `iat`, `role` and `token_version`,
//! all required and checked.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
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
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: i64,
}

impl JwtKeys {
    pub fn new(secret: &[u8], cfg: &AuthSettings) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub", "iat"]);
        validation.set_issuer(&[cfg.issuer.as_str()]);
        validation.set_audience(&[cfg.audience.as_str()]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
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
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)?.claims;
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

    fn keys(secret: &[u8]) -> JwtKeys {
        JwtKeys::new(secret, &AuthSettings::default())
    }

    #[test]
    fn round_trip() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let id = Uuid::now_v7();
        let claims = k.verify(&k.issue(id, Role::Staff, 3).unwrap()).unwrap();
        assert_eq!(
            (claims.sub, claims.role, claims.token_version),
            (id, Role::Staff, 3)
        );
    }

    #[test]
    fn rejects_other_key_alg_none_and_missing_claims() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let other = keys(b"another-secret-another-secret-xx");
        let token = other.issue(Uuid::now_v7(), Role::Admin, 0).unwrap();
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
            &Header::new(Algorithm::HS256),
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
                &Header::new(Algorithm::HS256),
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
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(secret),
        )
        .unwrap();
        assert!(k.verify(&t).is_err());
    }
}
