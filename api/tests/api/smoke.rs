use crate::helpers::*;

#[tokio::test]
async fn register_then_me() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let me: serde_json::Value = app.get("/api/v1/me", Some(token(&tokens))).await.json().await.unwrap();
    assert_eq!(me["phone"], phone);
    assert_eq!(me["role"], "rider");
}
