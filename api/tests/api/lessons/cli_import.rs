//! `warmnew import lessons DIR` as an operator runs it: a per-file report, versions on change,
//! and all or nothing with a non-zero exit on any problem.

use std::process::{Command, Output};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::fixtures_dir;

const BIN: &str = env!("CARGO_BIN_EXE_warmnew");

fn import(workdir: &std::path::Path, lessons: &std::path::Path) -> Output {
    Command::new(BIN)
        .current_dir(workdir)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("WARMNEW_LOG_FORMAT", "json")
        .env("WARMNEW_AUTH__ARGON2_MEMORY_KIB", "256")
        .env("WARMNEW_AUTH__ARGON2_ITERATIONS", "1")
        .args(["import", "lessons"])
        .arg(lessons)
        .output()
        .expect("run warmnew")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn copy_fixtures(to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

async fn stored(workdir: &std::path::Path, slug: &str) -> Vec<warmnew::entity::lesson::Model> {
    let url = format!(
        "sqlite://{}?mode=ro",
        workdir.join("data/warmnew.db").display()
    );
    let db = sea_orm::Database::connect(url)
        .await
        .expect("open the CLI's database");
    let rows = warmnew::entity::lesson::Entity::find()
        .filter(warmnew::entity::lesson::Column::Slug.eq(slug))
        .all(&db)
        .await
        .unwrap();
    db.close().await.ok();
    rows
}

#[tokio::test]
async fn import_lessons_reports_each_file_and_is_all_or_nothing() {
    let work =
        std::env::temp_dir().join(format!("warmnew-lessons-{}", uuid::Uuid::now_v7().simple()));
    let lessons = work.join("lessons");
    copy_fixtures(&lessons);

    let out = import(&work, &lessons);
    let text = stdout(&out);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("fixture-helmet.en.md") && text.contains("created"),
        "{text}"
    );
    assert!(text.contains("3 lesson file(s) imported"), "{text}");

    let out = import(&work, &lessons);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).matches("unchanged").count(),
        3,
        "{}",
        stdout(&out)
    );

    // An edit is a new version.
    let en = lessons.join("fixture-helmet.en.md");
    let text = std::fs::read_to_string(&en).unwrap();
    std::fs::write(
        &en,
        text.replace("wear your helmet right", "helmets, properly"),
    )
    .unwrap();
    let out = import(&work, &lessons);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("updated to v2"), "{}", stdout(&out));

    // One bad file: nothing at all is written, and the report names file and field.
    std::fs::write(
        lessons.join("fixture-new.en.md"),
        std::fs::read_to_string(&en)
            .unwrap()
            .replace("fixture-helmet", "fixture-new"),
    )
    .unwrap();
    let zh = lessons.join("fixture-helmet.zh-CN.md");
    let text = std::fs::read_to_string(&zh).unwrap();
    std::fs::write(&zh, text.replace("points = 10", "points = 20")).unwrap();
    let out = import(&work, &lessons);
    let report = stdout(&out);
    assert!(!out.status.success(), "{report}");
    assert!(
        report.contains("fixture-helmet.zh-CN.md: points:"),
        "{report}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was written"));
    assert!(stored(&work, "fixture-new").await.is_empty());
    let helmet = stored(&work, "fixture-helmet").await;
    assert!(helmet.iter().all(|r| r.points == 10), "{helmet:?}");

    let out = import(&work, &work.join("no-such-dir"));
    assert!(!out.status.success());
    std::fs::remove_dir_all(&work).ok();
}
