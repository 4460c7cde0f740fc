//! 25 wrong passwords sent at once for one phone: only the limit's worth are checked.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::spawn_with;

#[actix_web::test]
async fn simultaneous_guesses_are_counted_before_they_are_checked() {
    let app = spawn_with(|s| {
        s.auth.login_max_failures_per_phone = 5;
        s.auth.login_max_attempts_per_ip = 1000;
    })
    .await;
    let (phone, _) = app.register_rider().await;
    let guesses = join_all((0..25).map(|i| {
        app.post(
            "/api/v1/auth/login",
            None,
            json!({"phone": phone, "password": format!("wrong-guess-{i:04}")}),
        )
    }))
    .await;
    let checked = guesses.iter().filter(|r| r.status() == 401).count();
    let refused = guesses.iter().filter(|r| r.status() == 429).count();
    assert_eq!((checked, refused), (5, 20), "limit 5 of 25 at once");
    // The owner, after the window, is not locked out forever: a success clears the count.
    // (Within the window the right password is refused too, as before.)
    let res = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"phone": phone, "password": crate::helpers::PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 429);
}
