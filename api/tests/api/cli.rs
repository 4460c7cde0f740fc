//! The real binary as an operator runs it: serve with env settings, demo banner, production
//! refusing weak secrets, user add, SIGTERM, and logs that never contain phones or tokens.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_warmnew");

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("warmnew-cli-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn command(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("WARMNEW_BIND", "127.0.0.1:0")
        .env("WARMNEW_LOG_FORMAT", "json")
        .env("WARMNEW_AUTH__ARGON2_MEMORY_KIB", "256")
        .env("WARMNEW_AUTH__ARGON2_ITERATIONS", "1")
        .env("RUST_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

struct Server {
    child: Child,
    base: String,
    log: Vec<String>,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Server {
    // A failing test must not leave a server running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `warmnew serve` and reads stdout until the listening line names the port.
    fn start(dir: &std::path::Path) -> Server {
        Self::start_with(dir, &[])
    }

    fn start_with(dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
        let mut cmd = command(dir);
        cmd.envs(env.iter().copied());
        let mut child = cmd.arg("serve").spawn().expect("spawn warmnew");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        // Owned by `Server` at once, so its Drop reaps the process on every path.
        let mut server = Server {
            child,
            base: String::new(),
            log: Vec::new(),
            stdout,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(
                Instant::now() < deadline,
                "server did not start: {:?}",
                server.log
            );
            let mut line = String::new();
            if server.stdout.read_line(&mut line).unwrap() == 0 {
                let mut err = String::new();
                server
                    .child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .ok();
                panic!("server exited: {err}\n{:?}", server.log);
            }
            server.log.push(line.clone());
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                if v["fields"]["message"] == "listening" {
                    let port = v["fields"]["port"].as_u64().unwrap();
                    server.base = format!("http://127.0.0.1:{port}");
                    return server;
                }
            }
        }
    }

    /// SIGTERM, then the exit status and everything it printed.
    fn terminate(&mut self) -> (std::process::ExitStatus, String) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        let exit = self.child.wait().unwrap();
        (exit, self.log.concat() + &rest)
    }
}

#[tokio::test]
async fn serve_prints_demo_accounts_keeps_secrets_out_of_logs_and_stops_on_sigterm() {
    let dir = temp_dir();
    let server = Server::start(&dir);
    let banner = server.log.concat();
    assert!(
        banner.contains("13800000001") && banner.contains("nuanxin-demo-2026"),
        "demo banner: {banner}"
    );
    assert!(dir.join("data/warmnew.db").exists() && dir.join("data/dev-secrets.toml").exists());

    let client = reqwest::Client::new();
    let phone = crate::helpers::random_phone();
    let res = client
        .post(format!("{}/api/v1/auth/register", server.base))
        .json(&json!({"phone": phone, "password": "ride-safe-2026", "display_name": "日志测试"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let tokens: Value = res.json().await.unwrap();
    let res = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({"phone": phone, "password": "wrong-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let me = client
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    // A rider's position must not reach the logs either.
    let near = client
        .get(format!(
            "{}/api/v1/stations/nearby?lat=31.123457&lng=121.654321",
            server.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(near.status(), 200);

    let mut server = server;
    let (exit, log) = server.terminate();
    assert!(exit.success(), "graceful exit on SIGTERM: {exit:?}");
    // The access log did record the requests...
    assert!(
        log.contains("/api/v1/auth/register") && log.contains("\"status\":201"),
        "{log}"
    );
    // ...but never the phone, the tokens or the passwords.
    for secret in [
        phone.as_str(),
        tokens["access_token"].as_str().unwrap(),
        tokens["refresh_token"].as_str().unwrap(),
        "ride-safe-2026",
        "wrong-password-1",
        "31.123457",
        "121.654321",
    ] {
        assert!(!log.contains(secret), "log leaked a secret or a position");
    }

    // A second start reuses the dev secrets: the old refresh token still works.
    let mut server = Server::start(&dir);
    let res = client
        .post(format!("{}/api/v1/auth/refresh", server.base))
        .json(&json!({"refresh_token": tokens["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    server.terminate();
    std::fs::remove_dir_all(dir).ok();
}

/// A value in the wrong field may be a phone number or complaint text: neither the answer nor
/// the log may repeat it. And an erased account leaves no bytes in the database files.
#[tokio::test]
async fn wrong_values_are_not_echoed_and_an_erased_account_leaves_no_bytes() {
    let dir = temp_dir();
    let server = Server::start_with(&dir, &[("WARMNEW_DEMO_DATA", "false")]);
    let client = reqwest::Client::new();
    let url = |p: &str| format!("{}/api/v1{p}", server.base);
    let mut answers = String::new();

    let res = client
        .post(url("/auth/register"))
        .json(&json!({"phone": 13911112222u64, "password": "ride-safe-2026", "display_name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    answers += &res.text().await.unwrap();

    let phone = crate::helpers::random_phone();
    let marker = format!("抹除标记{}", uuid::Uuid::now_v7().simple());
    let res = client
        .post(url("/auth/register"))
        .json(&json!({"phone": phone, "password": "ride-safe-2026", "display_name": marker}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let token = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    for body in [
        json!({"category": "老板欠薪三个月13911113333", "urgency": "normal", "description": "x"}),
        json!({"category": "other", "urgency": "normal", "description": "x",
               "lat": "31.2345", "lng": 121.5}),
    ] {
        let res = client
            .post(url("/help-requests"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{body}");
        answers += &res.text().await.unwrap();
    }
    let description = format!("求助正文{}", uuid::Uuid::now_v7().simple());
    let res = client
        .post(url("/help-requests"))
        .bearer_auth(&token)
        .json(&json!({"category": "other", "urgency": "normal", "description": description}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = client
        .delete(url("/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    // Read the files while the server still has them open, as an attacker with the disk would.
    let mut files = Vec::new();
    for name in ["warmnew.db", "warmnew.db-wal"] {
        if let Ok(bytes) = std::fs::read(dir.join("data").join(name)) {
            files.push((name, bytes));
        }
    }
    let mut server = server;
    let (_, log) = server.terminate();
    for secret in ["13911112222", "13911113333", "老板欠薪", "31.2345"] {
        assert!(
            !answers.contains(secret),
            "an answer echoed {secret}: {answers}"
        );
        assert!(!log.contains(secret), "the log echoed {secret}");
    }
    for (name, bytes) in files {
        for needle in [marker.as_str(), description.as_str(), phone.as_str()] {
            let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
            assert!(!found, "{name} still holds an erased account's bytes");
        }
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn production_refuses_a_missing_or_weak_secret() {
    let dir = temp_dir();
    for secret in [None, Some("too-short")] {
        let mut cmd = command(&dir);
        cmd.env("WARMNEW_ENV", "production")
            .env("DATABASE_URL", "sqlite::memory:")
            .env("WARMNEW_DATA_KEY", "k".repeat(40));
        match secret {
            Some(s) => cmd.env("WARMNEW_JWT_SECRET", s),
            None => cmd.env_remove("WARMNEW_JWT_SECRET"),
        };
        let out = cmd.arg("serve").output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("WARMNEW_JWT_SECRET"), "clear message: {err}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn user_add_reads_the_password_from_stdin_and_validates() {
    let dir = temp_dir();
    let db = format!("sqlite://{}/cli.db?mode=rwc", dir.display());
    let run = |args: &[&str], stdin: &str| {
        let mut child = command(&dir)
            .env("DATABASE_URL", &db)
            .args(args)
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(
        &[
            "user",
            "add",
            "--role",
            "staff",
            "--phone",
            "13700000009",
            "--region",
            "310106",
        ],
        "staff-pass-2026\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("created staff"));
    let again = run(
        &[
            "user",
            "add",
            "--role",
            "staff",
            "--phone",
            "13700000009",
            "--region",
            "310106",
        ],
        "staff-pass-2026\n",
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already registered"));
    let weak = run(
        &["user", "add", "--role", "admin", "--phone", "13700000010"],
        "12345678\n",
    );
    assert!(!weak.status.success());
    let bad_role = run(
        &["user", "add", "--role", "boss", "--phone", "13700000011"],
        "staff-pass-2026\n",
    );
    assert!(!bad_role.status.success());
    let migrate = run(&["migrate"], "");
    assert!(migrate.status.success());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn openapi_command_prints_the_document() {
    let out = Command::new(BIN).arg("openapi").output().unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/auth/login"]["post"].is_object());
}
