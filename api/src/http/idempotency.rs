//! `Idempotency-Key` for POSTs that create something. The first answer is stored in
//! `idempotency_keys` in the same transaction as the write it answers for; a repeat with the
//! same user, scope, key and body gets that answer again, a repeat with another body is refused.
//! Two concurrent firsts race on the primary key: the loser rolls back and replays the winner.

use actix_web::http::StatusCode;
use actix_web::HttpRequest;
use chrono::Utc;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, Set, SqlErr,
    TransactionTrait,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::idempotency_key;
use crate::error::{ApiError, ApiResult, Code, FieldError};

pub const HEADER: &str = "Idempotency-Key";
/// Set on a replayed answer.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";
pub const MAX_KEY_LEN: usize = 100;

/// The header's raw value, if sent. A value that is not text is kept (as a replacement
/// character) so that validation names it instead of ignoring it.
pub fn header_value(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(HEADER)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// 1–100 visible ASCII characters.
pub fn parse_key(raw: &str) -> Result<String, FieldError> {
    let ok = (1..=MAX_KEY_LEN).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(raw.to_string())
    } else {
        Err(FieldError::new(
            HEADER,
            "invalid_idempotency_key",
            "Idempotency-Key must be 1–100 visible ASCII characters",
        ))
    }
}

/// SHA-256 (hex) of the body as canonical JSON: object keys sorted, no whitespace. Hash the
/// parsed request, so that formatting and key order do not count as a different body.
pub fn request_hash<T: Serialize>(body: &T) -> String {
    let value = serde_json::to_value(body).unwrap_or(serde_json::Value::Null);
    // Keys come out sorted only because serde_json's `preserve_order` is off (Map = BTreeMap).
    let canonical = value.to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Where one key is kept: per user and per kind of request.
pub struct Slot<'a> {
    pub user_id: Uuid,
    pub scope: &'a str,
    pub key: &'a str,
    pub request_hash: &'a str,
}

/// A stored first answer.
pub struct Stored {
    pub status: StatusCode,
    pub body: String,
}

impl Slot<'_> {
    /// The stored answer for this key, if any: the same body replays it, another body is 409
    /// `idempotency_key_mismatch`.
    pub async fn replay<C: ConnectionTrait>(&self, conn: &C) -> Result<Option<Stored>, ApiError> {
        let found = idempotency_key::Entity::find_by_id((
            self.user_id,
            self.scope.to_string(),
            self.key.to_string(),
        ))
        .one(conn)
        .await?;
        let Some(row) = found else {
            return Ok(None);
        };
        if row.request_hash != self.request_hash {
            return Err(ApiError::new(
                Code::IdempotencyKeyMismatch,
                "this Idempotency-Key was already used with a different request body",
            ));
        }
        let status = u16::try_from(row.status)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .ok_or_else(|| ApiError::internal("idempotency", "stored status out of range"))?;
        Ok(Some(Stored {
            status,
            body: row.response_body,
        }))
    }

    /// Stores the first answer, inside the caller's transaction. A unique violation means a
    /// concurrent request with the same key won (see [`is_duplicate`]).
    pub async fn save<C: ConnectionTrait>(
        &self,
        txn: &C,
        status: StatusCode,
        body: &str,
    ) -> Result<(), DbErr> {
        let row = idempotency_key::ActiveModel {
            user_id: Set(self.user_id),
            scope: Set(self.scope.to_string()),
            key: Set(self.key.to_string()),
            request_hash: Set(self.request_hash.to_string()),
            status: Set(i32::from(status.as_u16())),
            response_body: Set(body.to_string()),
            created_at: Set(Utc::now()),
        };
        idempotency_key::Entity::insert(row)
            .exec_without_returning(txn)
            .await
            .map(|_| ())
    }
}

/// An answer and whether it is the replay of an earlier one.
pub struct Answer<T> {
    pub status: StatusCode,
    pub body: T,
    pub replayed: bool,
}

impl<T: DeserializeOwned> Answer<T> {
    fn replay_of(stored: Stored) -> ApiResult<Self> {
        let body = serde_json::from_str(&stored.body)
            .map_err(|e| ApiError::internal("idempotent replay", e))?;
        Ok(Self {
            status: stored.status,
            body,
            replayed: true,
        })
    }
}

/// The stored answer for `slot`, if this key was used before (see [`Slot::replay`]). Ask
/// before validating: a repeat is answered as the first time, whatever has changed since.
pub async fn earlier_answer<T: DeserializeOwned>(
    db: &DatabaseConnection,
    slot: Option<&Slot<'_>>,
) -> ApiResult<Option<Answer<T>>> {
    match slot {
        Some(slot) => match slot.replay(db).await? {
            Some(stored) => Answer::replay_of(stored).map(Some),
            None => Ok(None),
        },
        None => Ok(None),
    }
}

/// Runs `write` in a transaction that also stores its answer under `slot`, so that a
/// concurrent duplicate writes nothing: the loser of the key's primary-key race rolls back and
/// replays the winner. Without a slot it is a plain transaction. An error from `write` rolls
/// everything back. `write` must use only the transaction it is given (SQLite has one
/// connection).
pub async fn write_once<T, W>(
    db: &DatabaseConnection,
    slot: Option<&Slot<'_>>,
    write: W,
) -> ApiResult<Answer<T>>
where
    T: Serialize + DeserializeOwned,
    W: AsyncFnOnce(&DatabaseTransaction) -> ApiResult<(StatusCode, T)>,
{
    let txn = db.begin().await?;
    let (status, body) = write(&txn).await?;
    if let Some(slot) = slot {
        let json =
            serde_json::to_string(&body).map_err(|e| ApiError::internal("idempotent json", e))?;
        if let Err(e) = slot.save(&txn, status, &json).await {
            if !is_duplicate(&e) {
                return Err(e.into());
            }
            txn.rollback().await?;
            return match slot.replay(db).await? {
                Some(stored) => Answer::replay_of(stored),
                None => Err(ApiError::new(
                    Code::IdempotencyInFlight,
                    "a request with this Idempotency-Key is in flight; retry",
                )),
            };
        }
    }
    txn.commit().await?;
    Ok(Answer {
        status,
        body,
        replayed: false,
    })
}

/// The optional header as a key, checked.
pub fn optional_key(raw: Option<&str>) -> ApiResult<Option<String>> {
    raw.map(parse_key)
        .transpose()
        .map_err(|e| ApiError::validation(vec![e]))
}

/// The key was stored by a concurrent request in the meantime.
pub fn is_duplicate(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_up_to_100() {
        assert!(parse_key("a").is_ok());
        assert!(parse_key(&"k".repeat(100)).is_ok());
        assert!(parse_key("01J9-abc_DEF:~!").is_ok());
        for bad in ["", " ", "has space", "tab\t", "ключ", &"k".repeat(101)] {
            let e = parse_key(bad).unwrap_err();
            assert_eq!(e.field, "Idempotency-Key", "{bad:?}");
        }
    }

    #[test]
    fn the_hash_ignores_key_order_and_formatting() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b": 1, "a": {"y": [1, 2], "x": null}}"#).unwrap();
        let b: serde_json::Value =
            serde_json::from_str(r#"{"a":{"x":null,"y":[1,2]},"b":1}"#).unwrap();
        let c: serde_json::Value =
            serde_json::from_str(r#"{"a":{"x":null,"y":[2,1]},"b":1}"#).unwrap();
        assert_eq!(request_hash(&a), request_hash(&b));
        assert_ne!(request_hash(&a), request_hash(&c));
        assert_eq!(request_hash(&a).len(), 64);
    }
}
