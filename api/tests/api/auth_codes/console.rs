//! The dev console sender, seen from outside: the real binary's log has the code with the phone
//! masked and never the number itself; production never prints codes.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::ask;
use crate::helpers::{assert_problem, random_phone, spawn_with};

#[tokio::test]
async fn production_with_the_console_provider_sends_nothing() {
    let app = spawn_with(|s| s.env = warmnew::config::Environment::Production).await;
    let res = ask(&app, &random_phone(), "login").await;
    assert_problem(res, 503, "sms_unavailable").await;
}

/// Kills the server however the test ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_dev_log_shows_the_code_with_the_phone_masked_only() {
    let dir = std::env::temp_dir().join(format!("warmnew-codes-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_warmnew"))
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("WARMNEW_BIND", "127.0.0.1:0")
        .env("WARMNEW_LOG_FORMAT", "json")
        .env("WARMNEW_DEMO_DATA", "false")
        .env("WARMNEW_AUTH__ARGON2_MEMORY_KIB", "256")
        .env("WARMNEW_AUTH__ARGON2_ITERATIONS", "1")
        .env("RUST_LOG", "debug")
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn warmnew");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let child = Child(child);
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut log = Vec::new();
    let wait_for = |log: &mut Vec<String>, want: &dyn Fn(&str) -> bool| -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("not in the log: {log:?}"));
            log.push(line.clone());
            if want(&line) {
                return line;
            }
        }
    };
    let listening = wait_for(&mut log, &|l| l.contains("\"listening\""));
    let v: Value = serde_json::from_str(&listening).unwrap();
    let base = format!("http://127.0.0.1:{}", v["fields"]["port"].as_u64().unwrap());

    let phone = random_phone();
    let client = reqwest::Client::new();
    let res = client
        .post(format!("{base}/api/v1/auth/codes"))
        .json(&json!({"phone": phone, "purpose": "login"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let masked = format!("{}****{}", &phone[..3], &phone[7..]);
    let line = wait_for(&mut log, &|l| l.contains("dev sms to"));
    let v: Value = serde_json::from_str(&line).unwrap();
    let message = v["fields"]["message"].as_str().unwrap();
    let code = message
        .strip_prefix(&format!("dev sms to {masked}: code "))
        .unwrap_or_else(|| panic!("{message}"));
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );

    let res = client
        .post(format!("{base}/api/v1/auth/login/code"))
        .json(&json!({"phone": phone, "code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    wait_for(&mut log, &|l| l.contains("login by code"));
    drop(child);
    while let Ok(line) = rx.try_recv() {
        log.push(line);
    }
    let all = log.concat();
    assert!(!all.contains(&phone), "the phone reached the log");
    assert!(
        !all.contains(&phone[3..]),
        "part of the phone reached the log"
    );
    std::fs::remove_dir_all(dir).ok();
}
