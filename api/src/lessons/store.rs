//! Writing lessons: upserts by (slug, locale) that bump the version when the content changes,
//! the built-in set loaded on every start, and the all-or-nothing import of a directory.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use super::content::{self, Lesson, Question};
use super::source::{self, FileError, SourceFile};
use crate::entity::lesson;

/// Who wrote a row. The embedded files only ever update rows they wrote themselves, so an
/// admin's edit or an import survives the next start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    Import,
    Admin,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Builtin => "builtin",
            Origin::Import => "import",
            Origin::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Change {
    Created,
    Updated {
        version: i32,
    },
    Unchanged,
    /// A built-in lesson an admin or an import has taken over.
    Kept,
}

pub fn quiz_of(row: &lesson::Model) -> Result<Vec<Question>, DbErr> {
    serde_json::from_str(&row.quiz_json)
        .map_err(|e| DbErr::Custom(format!("lesson {} quiz_json: {e}", row.id)))
}

/// A stored row back as a lesson (to compare or to edit).
pub fn lesson_of(row: &lesson::Model) -> Result<Lesson, DbErr> {
    Ok(Lesson {
        slug: row.slug.clone(),
        locale: row.locale.clone(),
        title: row.title.clone(),
        summary: row.summary.clone(),
        category: row.category.clone(),
        minutes: row.minutes,
        cover: row.cover.clone(),
        points: row.points,
        pass_mark: row.pass_mark,
        published: Some(row.published),
        order: row.position,
        body_md: row.body_md.clone(),
        quiz: quiz_of(row)?,
    })
}

pub async fn find<C: ConnectionTrait>(
    conn: &C,
    slug: &str,
    locale: &str,
) -> Result<Option<lesson::Model>, DbErr> {
    lesson::Entity::find()
        .filter(lesson::Column::Slug.eq(slug))
        .filter(lesson::Column::Locale.eq(locale))
        .one(conn)
        .await
}

fn row(l: &Lesson, published: bool, version: i32, origin: Origin) -> lesson::ActiveModel {
    let now = Utc::now();
    lesson::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(l.slug.clone()),
        locale: Set(l.locale.clone()),
        title: Set(l.title.clone()),
        summary: Set(l.summary.clone()),
        category: Set(l.category.clone()),
        minutes: Set(l.minutes),
        cover: Set(l.cover.clone()),
        body_md: Set(l.body_md.clone()),
        points: Set(l.points),
        pass_mark: Set(l.pass_mark),
        published: Set(published),
        position: Set(l.order),
        version: Set(version),
        quiz_json: Set(l.quiz_json()),
        content_hash: Set(l.content_hash()),
        origin: Set(origin.as_str().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Inserts a new (slug, locale); false when it already exists (also when a concurrent start
/// inserted it first).
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    l: &Lesson,
    origin: Origin,
) -> Result<bool, DbErr> {
    let n = lesson::Entity::insert(row(l, l.published.unwrap_or(false), 1, origin))
        .on_conflict(
            OnConflict::columns([lesson::Column::Slug, lesson::Column::Locale])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(n == 1)
}

/// Creates or updates one locale of a lesson. Changed content is a new version; the published
/// flag follows the lesson when it says one (built-in files never change it once stored).
pub async fn upsert<C: ConnectionTrait>(
    conn: &C,
    l: &Lesson,
    origin: Origin,
) -> Result<Change, DbErr> {
    let Some(existing) = find(conn, &l.slug, &l.locale).await? else {
        return Ok(if insert(conn, l, origin).await? {
            Change::Created
        } else {
            Change::Unchanged
        });
    };
    if origin == Origin::Builtin && existing.origin != Origin::Builtin.as_str() {
        return Ok(Change::Kept);
    }
    let published = match origin {
        Origin::Builtin => existing.published,
        _ => l.published.unwrap_or(existing.published),
    };
    let hash = l.content_hash();
    if hash == existing.content_hash && published == existing.published {
        return Ok(Change::Unchanged);
    }
    let version = if hash == existing.content_hash {
        existing.version
    } else {
        existing.version + 1
    };
    let mut update = row(l, published, version, origin);
    update.id = Set(existing.id);
    update.created_at = Set(existing.created_at);
    // Only from the version read above: two instances starting at once bump it once.
    let res = lesson::Entity::update_many()
        .set(update)
        .filter(lesson::Column::Id.eq(existing.id))
        .filter(lesson::Column::Version.eq(existing.version))
        .exec(conn)
        .await?;
    Ok(if res.rows_affected == 1 {
        Change::Updated { version }
    } else {
        Change::Unchanged
    })
}

/// Upserts the embedded lessons (on every start, demo or not: they are product content). A
/// slug with any problem is left out and logged; `builtin_lessons_are_valid` keeps that from
/// shipping.
pub async fn load_builtin(db: &DatabaseConnection) -> Result<usize, DbErr> {
    let set = source::parse_set(&source::builtin_files());
    for e in &set.errors {
        tracing::error!(file = %e.file, problem = %e.message, "built-in lesson rejected");
    }
    let txn = db.begin().await?;
    let mut changed = 0;
    for p in &set.lessons {
        if set.errors.iter().any(|e| e.slug == p.lesson.slug) {
            continue;
        }
        if !matches!(
            upsert(&txn, &p.lesson, Origin::Builtin).await?,
            Change::Unchanged | Change::Kept
        ) {
            changed += 1;
        }
    }
    txn.commit().await?;
    if changed > 0 {
        tracing::info!(changed, "built-in lessons loaded");
    }
    Ok(changed)
}

#[derive(Debug, Serialize)]
pub struct ImportEntry {
    pub file: String,
    pub slug: String,
    pub locale: String,
    #[serde(flatten)]
    pub change: Change,
}

/// What an import did, or would have done.
#[derive(Debug, Serialize)]
pub struct ImportReport {
    pub written: Vec<ImportEntry>,
    pub errors: Vec<String>,
}

/// Imports a set of files: every file valid and every pair consistent (also with the stored
/// other locale of a slug the set has only one file of), or nothing is written.
pub async fn import(db: &DatabaseConnection, files: &[SourceFile]) -> Result<ImportReport, DbErr> {
    let set = source::parse_set(files);
    let mut errors: Vec<FileError> = set.errors;
    if files.is_empty() {
        errors.push(FileError {
            file: ".".into(),
            slug: String::new(),
            message: "no lesson files (*.md) found".into(),
        });
    }
    let txn = db.begin().await?;
    for p in &set.lessons {
        let l = &p.lesson;
        let in_set = set
            .lessons
            .iter()
            .any(|q| q.lesson.slug == l.slug && q.lesson.locale != l.locale);
        if in_set {
            continue;
        }
        if let Some(other) = find(&txn, &l.slug, content::other_locale(&l.locale)).await? {
            for e in content::check_pair(l, &lesson_of(&other)?) {
                errors.push(FileError {
                    file: p.file.clone(),
                    slug: l.slug.clone(),
                    message: format!("{}: {} (stored)", e.field, e.message),
                });
            }
        }
    }
    let mut written = Vec::new();
    if errors.is_empty() {
        for p in &set.lessons {
            written.push(ImportEntry {
                file: p.file.clone(),
                slug: p.lesson.slug.clone(),
                locale: p.lesson.locale.clone(),
                change: upsert(&txn, &p.lesson, Origin::Import).await?,
            });
        }
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(ImportReport {
        written,
        errors: errors.iter().map(ToString::to_string).collect(),
    })
}
