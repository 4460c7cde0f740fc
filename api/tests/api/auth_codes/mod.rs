//! One-time codes: asking (same answer for every phone, limits), logging in and registering by
//! code, resetting the password, and the Tencent SMS sender against a local stand-in.

mod console;
mod login;
mod reset;
mod send;
mod stand_in;

use reqwest::Response;
use serde_json::json;

use crate::helpers::TestApp;

pub async fn ask(app: &TestApp, phone: &str, purpose: &str) -> Response {
    app.post(
        "/api/v1/auth/codes",
        None,
        json!({"phone": phone, "purpose": purpose}),
    )
    .await
}

pub async fn code_login(app: &TestApp, phone: &str, code: &str) -> Response {
    app.post(
        "/api/v1/auth/login/code",
        None,
        json!({"phone": phone, "code": code}),
    )
    .await
}

/// A different 6-digit code than `code`.
pub fn other_code(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

/// The stored row for a phone and purpose, read the way the app finds it.
pub async fn code_row(
    app: &TestApp,
    phone: &str,
    purpose: &str,
) -> Option<warmnew::entity::login_code::Model> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use warmnew::entity::login_code;
    let parsed = warmnew::auth::phone::Phone::parse(phone).unwrap();
    let hash = app.state.phones.lookup_hash(&parsed);
    login_code::Entity::find()
        .filter(login_code::Column::PhoneHash.eq(hash))
        .filter(login_code::Column::Purpose.eq(purpose))
        .one(&app.state.db)
        .await
        .unwrap()
}

/// Lets the next code for `phone` go out now (the one-a-minute rule is tested on its own).
pub async fn forget_resend_gap(app: &TestApp, phone: &str) {
    let parsed = warmnew::auth::phone::Phone::parse(phone).unwrap();
    let hash = app.state.phones.lookup_hash(&parsed);
    app.state
        .cache
        .delete(&format!("code:phone:{hash}:gap"))
        .await;
}
