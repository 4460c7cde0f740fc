//! Issue 13 item 1, the authorization matrix: every operation of the served OpenAPI document ×
//! {anonymous, rider A/B, operator 1/2, staff X/Y, admin}, id-bearing ones with each side's ids,
//! against the committed table `api/tests/fixtures/authz_matrix.tsv`. Beside the statuses, no
//! answer may carry the other side's private values (help request, log ids, phone, codes).
//!
//! After adding or changing a route: give it a recipe in `recipes.rs`, then
//! `UPDATE_AUTHZ_MATRIX=1 cargo test -p warmnew --test api hardening::matrix` rewrites the
//! table; read the diff row by row before committing it.

mod recipes;
mod world;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use reqwest::Method;

use crate::helpers::*;
use recipes::{Body, Call};
use world::{Who, World, EVERYONE};

const TABLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/authz_matrix.tsv"
);
const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// (path, method, variant) → one status per identity, in `EVERYONE` order.
type Rows = BTreeMap<(String, String, String), Vec<String>>;

#[tokio::test]
async fn every_operation_answers_every_identity_as_the_table_says() {
    let app = spawn().await;
    let ops = operations(&app).await;
    let w = World::build(app).await;
    let mut observed = Rows::new();
    let mut no_recipe = Vec::new();
    let mut leaks = Vec::new();
    let mut admin_list = String::new();
    for op in &ops {
        let Some(variants) = recipes::variants(op) else {
            no_recipe.push(op.clone());
            continue;
        };
        let (method, path) = op.split_once(' ').unwrap();
        for variant in variants {
            let mut row = Vec::new();
            for who in EVERYONE {
                let call = recipes::prepare(&w, op, variant, who).await;
                let (status, text) = send(&w, method, &call).await;
                if op == "GET /api/v1/help-requests" && who == Who::Admin {
                    admin_list = text.clone();
                }
                for secret in foreign_secrets(&w, who, &call) {
                    if text.contains(&secret) {
                        leaks.push(format!("{op} [{variant}] as {}", who.column()));
                    }
                }
                row.push(status.to_string());
            }
            observed.insert((path.into(), method.into(), variant.to_string()), row);
        }
    }

    let mut report = String::new();
    if std::env::var("UPDATE_AUTHZ_MATRIX").is_ok() {
        std::fs::write(TABLE, render(&observed)).expect("write the matrix table");
    } else {
        compare(&read_table(), &observed, &no_recipe, &mut report);
    }
    if !no_recipe.is_empty() {
        let _ = writeln!(
            report,
            "\nNo recipe (add one to hardening/matrix/recipes.rs, then regenerate):"
        );
        for op in &no_recipe {
            let _ = writeln!(report, "  {op}");
        }
    }
    // The leak check only means something if the values it looks for show where allowed.
    if !w.sides.iter().all(|s| admin_list.contains(&s.help)) {
        let _ = writeln!(
            report,
            "\nAdmin's help list lacks the seeded requests: leak check blind"
        );
    }
    if !leaks.is_empty() {
        let _ = writeln!(report, "\nThe other side's private values in the answer:");
        for l in &leaks {
            let _ = writeln!(report, "  {l}");
        }
    }
    assert!(
        report.is_empty(),
        "authorization matrix on {}:{report}",
        backend()
    );
}

/// `METHOD /path` of every operation the app serves in its document.
async fn operations(app: &TestApp) -> Vec<String> {
    let res = app.get("/openapi.json", None).await;
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = res.json().await.unwrap();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if item.get(m).is_some() {
                ops.push(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    assert!(ops.len() >= 70, "only {} operations served", ops.len());
    ops
}

/// Sends the call; returns the status and the body (not read for event streams).
async fn send(w: &World, method: &str, call: &Call) -> (u16, String) {
    let method: Method = method.parse().unwrap();
    let mut req = w.app.client.request(method, w.app.url(&call.path));
    if let Some(t) = &call.token {
        req = req.bearer_auth(t);
    }
    for (name, value) in &call.headers {
        req = req.header(*name, value);
    }
    req = match &call.body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Raw(ct, text) => req.header("content-type", *ct).body(text.clone()),
    };
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let stream = header(&res, "content-type").is_some_and(|c| c.starts_with("text/event-stream"));
    if stream {
        return (status, String::new());
    }
    (status, res.text().await.unwrap_or_default())
}

/// What `who` must never be shown: the other side's private values (both sides' for
/// anonymous, none for admin), except those the call itself sent.
fn foreign_secrets(w: &World, who: Who, call: &Call) -> Vec<String> {
    let sides: Vec<usize> = match (who, who.side()) {
        (Who::Admin, _) => vec![],
        (_, Some(s)) => vec![1 - s],
        (_, None) => vec![0, 1],
    };
    let sent = match &call.body {
        Body::Json(v) => v.to_string(),
        Body::Raw(_, t) => t.clone(),
        Body::None => String::new(),
    };
    sides
        .into_iter()
        .flat_map(|s| {
            let side = &w.sides[s];
            [
                side.help.clone(),
                side.service_log.clone(),
                side.code.clone(),
                side.rider.phone.clone(),
                side.rider.id.clone(),
            ]
        })
        .filter(|v| !call.path.contains(v.as_str()) && !sent.contains(v.as_str()))
        .collect()
}

fn header_line() -> String {
    let mut cols = vec!["method", "path", "variant"];
    cols.extend(EVERYONE.iter().map(|w| w.column()));
    cols.join("\t")
}

fn row_line(key: &(String, String, String), cells: &[String]) -> String {
    let (path, method, variant) = key;
    format!("{method}\t{path}\t{variant}\t{}", cells.join("\t"))
}

fn render(rows: &Rows) -> String {
    let mut out = String::from(
        "# Expected status per identity for every operation of the OpenAPI document.\n\
         # variant: side1 / side2 = tried with side 1's (rider A, station 1, district X) or\n\
         # side 2's ids; '-' = no ids; side1:log2 / side1:reward2 = station 1 with side 2's\n\
         # log / reward; side1:name = a field only admin may change; side1:accept = that\n\
         # action. Regenerate: UPDATE_AUTHZ_MATRIX=1 cargo test -p warmnew --test api matrix\n",
    );
    out.push_str(&header_line());
    out.push('\n');
    for (key, cells) in rows {
        out.push_str(&row_line(key, cells));
        out.push('\n');
    }
    out
}

fn read_table() -> Rows {
    let text = std::fs::read_to_string(TABLE).unwrap_or_default();
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty());
    if let Some(h) = lines.next() {
        assert_eq!(h, header_line(), "{TABLE}: unexpected header");
    }
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3 + EVERYONE.len(), "{TABLE}: bad row {l:?}");
            let key = (f[1].to_string(), f[0].to_string(), f[2].to_string());
            (key, f[3..].iter().map(|c| c.to_string()).collect())
        })
        .collect()
}

fn compare(expected: &Rows, observed: &Rows, no_recipe: &[String], report: &mut String) {
    let mut missing = Vec::new();
    for (key, cells) in observed {
        let Some(want) = expected.get(key) else {
            missing.push(row_line(key, cells));
            continue;
        };
        for ((who, want), got) in EVERYONE.iter().zip(want).zip(cells) {
            if want != got {
                let (path, method, variant) = key;
                let _ = writeln!(
                    report,
                    "  {method} {path} [{variant}] as {}: table says {want}, got {got}",
                    who.column()
                );
            }
        }
    }
    if !report.is_empty() {
        report.insert_str(0, "\nStatus differs from the table:\n");
    }
    if !missing.is_empty() {
        let _ = writeln!(
            report,
            "\nRows missing from the table (observed now; check each, then add to {TABLE}):\n{}",
            header_line()
        );
        for line in missing {
            let _ = writeln!(report, "{line}");
        }
    }
    // Rows of an operation without a recipe are reported with it, not as stale.
    let stale: Vec<_> = expected
        .keys()
        .filter(|k| !observed.contains_key(*k) && !no_recipe.contains(&format!("{} {}", k.1, k.0)))
        .collect();
    if !stale.is_empty() {
        let _ = writeln!(report, "\nRows for operations that are no longer served:");
        for key in stale {
            let _ = writeln!(report, "  {}", row_line(key, &expected[key]));
        }
    }
}
