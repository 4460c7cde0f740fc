//! Lesson rules: who sees what (riders only published lessons; admins everything), locale
//! fallback, the safe body, progress, and the admin's writes.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DerivePartialModel, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::content::{self, Lesson, OPTION_IDS};
use super::dto::*;
use super::render;
use super::store::{self, Change, Origin};
use crate::auth::{AuthUser, Role};
use crate::entity::{lesson, lesson_progress};
use crate::error::{ApiError, ApiResult, Code, FieldError};
use crate::state::AppState;

fn is_admin(user: Option<&AuthUser>) -> bool {
    user.is_some_and(|u| u.role == Role::Admin)
}

fn locale_of(value: Option<&str>) -> ApiResult<&'static str> {
    content::parse_locale(value).map_err(|e| ApiError::validation(vec![e]))
}

/// The rows of a slug the caller may see, zh-CN first. An unknown or malformed slug has none.
pub async fn visible_rows<C: ConnectionTrait>(
    conn: &C,
    slug: &str,
    admin: bool,
) -> ApiResult<Vec<lesson::Model>> {
    if !content::is_slug(slug) {
        return Ok(Vec::new());
    }
    let mut q = lesson::Entity::find().filter(lesson::Column::Slug.eq(slug));
    if !admin {
        q = q.filter(lesson::Column::Published.eq(true));
    }
    let mut rows = q.all(conn).await?;
    rows.sort_by_key(|r| r.locale != "zh-CN");
    Ok(rows)
}

/// The asked locale, else the other one.
pub fn pick<'a>(rows: &'a [lesson::Model], locale: &str) -> Option<&'a lesson::Model> {
    rows.iter()
        .find(|r| r.locale == locale)
        .or_else(|| rows.first())
}

#[derive(DerivePartialModel)]
#[sea_orm(entity = "lesson::Entity")]
struct CardRow {
    slug: String,
    locale: String,
    title: String,
    summary: String,
    category: String,
    minutes: i32,
    cover: String,
    points: i32,
    version: i32,
    published: bool,
    position: i32,
}

fn progress_dto(p: &lesson_progress::Model) -> LessonProgressDto {
    LessonProgressDto {
        passed: p.passed,
        best_score: p.best_score,
        attempts: p.attempts,
        points_awarded: p.points_awarded,
    }
}

async fn progress_by_slug(
    state: &AppState,
    rider_id: Uuid,
) -> ApiResult<HashMap<String, lesson_progress::Model>> {
    Ok(lesson_progress::Entity::find()
        .filter(lesson_progress::Column::RiderId.eq(rider_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.slug.clone(), p))
        .collect())
}

/// The lesson cards, one per slug in the asked locale (or the other), by order then slug.
pub async fn list(
    state: &AppState,
    user: Option<&AuthUser>,
    params: &LessonListParams,
) -> ApiResult<LessonList> {
    let locale = locale_of(params.locale.as_deref())?;
    let mut q = lesson::Entity::find();
    if let Some(category) = params
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if !content::CATEGORIES.contains(&category) {
            return Err(ApiError::field(
                "category",
                "invalid_category",
                format!("category must be one of {}", content::CATEGORIES.join(", ")),
            ));
        }
        q = q.filter(lesson::Column::Category.eq(category));
    }
    if !is_admin(user) {
        q = q.filter(lesson::Column::Published.eq(true));
    }
    let rows: Vec<CardRow> = q
        .order_by_asc(lesson::Column::Slug)
        .into_partial_model()
        .all(&state.db)
        .await?;
    let mut chosen: Vec<CardRow> = Vec::new();
    // Ordered by slug, so a slug's other locale is the previous row.
    for row in rows {
        match chosen.last_mut().filter(|c| c.slug == row.slug) {
            Some(c) if c.locale != locale && row.locale == locale => *c = row,
            Some(_) => {}
            None => chosen.push(row),
        }
    }
    chosen.sort_by(|a, b| (a.position, &a.slug).cmp(&(b.position, &b.slug)));
    let rider = user.filter(|u| u.role == Role::Rider);
    let progress = match rider {
        Some(u) => progress_by_slug(state, u.id).await?,
        None => HashMap::new(),
    };
    let items = chosen
        .into_iter()
        .map(|r| LessonCard {
            progress: rider.map(|_| progress.get(&r.slug).map(progress_dto).unwrap_or_default()),
            slug: r.slug,
            locale: r.locale,
            title: r.title,
            summary: r.summary,
            category: r.category,
            minutes: r.minutes,
            cover: r.cover,
            points: r.points,
            version: r.version,
            published: r.published,
        })
        .collect();
    Ok(LessonList { items })
}

/// A lesson to read, and the validator for HTTP caches.
pub struct Detail {
    pub dto: LessonDetail,
    pub etag: String,
}

pub async fn detail(
    state: &AppState,
    user: Option<&AuthUser>,
    slug: &str,
    locale: Option<&str>,
) -> ApiResult<Detail> {
    let locale = locale_of(locale)?;
    let rows = visible_rows(&state.db, slug, is_admin(user)).await?;
    let row = pick(&rows, locale).ok_or_else(ApiError::not_found)?;
    let quiz = store::quiz_of(row)?;
    let body_html =
        render::render_cached(format!("{}:{}", row.id, row.content_hash), &row.body_md).await;
    let questions = quiz
        .into_iter()
        .map(|q| LessonQuestion {
            id: q.id,
            prompt: q.prompt,
            options: q
                .options
                .into_iter()
                .zip(OPTION_IDS)
                .map(|(text, id)| LessonOption {
                    id: id.to_string(),
                    text,
                })
                .collect(),
        })
        .collect();
    let hash = row.content_hash.get(..16).unwrap_or(&row.content_hash);
    Ok(Detail {
        etag: format!("\"{hash}-{}-{}\"", row.version, env!("CARGO_PKG_VERSION")),
        dto: LessonDetail {
            slug: row.slug.clone(),
            locale: row.locale.clone(),
            title: row.title.clone(),
            summary: row.summary.clone(),
            category: row.category.clone(),
            minutes: row.minutes,
            cover: row.cover.clone(),
            points: row.points,
            pass_mark: row.pass_mark,
            version: row.version,
            published: row.published,
            body_html: body_html.to_string(),
            available_locales: rows.iter().map(|r| r.locale.clone()).collect(),
            quiz: LessonQuiz { questions },
        },
    })
}

/// The rider's lessons (titles in `locale` where it exists) and how many they completed.
pub async fn progress(
    state: &AppState,
    user: &AuthUser,
    locale: Option<&str>,
) -> ApiResult<ProgressList> {
    user.require(&[Role::Rider])?;
    let locale = locale_of(locale)?;
    let mine = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::RiderId.eq(user.id))
        .all(&state.db)
        .await?;
    let rows: Vec<CardRow> = lesson::Entity::find()
        .order_by_asc(lesson::Column::Slug)
        .into_partial_model()
        .all(&state.db)
        .await?;
    let row_of = |slug: &str| {
        let of_slug = || rows.iter().filter(move |r| r.slug == slug);
        of_slug()
            .find(|r| r.locale == locale)
            .or_else(|| of_slug().next())
    };
    let published_slugs: HashSet<&str> = rows
        .iter()
        .filter(|r| r.published)
        .map(|r| r.slug.as_str())
        .collect();
    let completed = mine
        .iter()
        .filter(|p| p.passed && published_slugs.contains(p.slug.as_str()))
        .count() as i64;
    let mut items: Vec<(i32, ProgressItem)> = mine
        .into_iter()
        .map(|p| {
            let row = row_of(&p.slug);
            let item = ProgressItem {
                title: row.map_or_else(|| p.slug.clone(), |r| r.title.clone()),
                slug: p.slug,
                passed: p.passed,
                best_score: p.best_score,
                attempts: p.attempts,
                points_awarded: p.points_awarded,
                first_passed_at: p.first_passed_at,
            };
            (row.map_or(i32::MAX, |r| r.position), item)
        })
        .collect();
    items.sort_by(|a, b| (a.0, &a.1.slug).cmp(&(b.0, &b.1.slug)));
    Ok(ProgressList {
        items: items.into_iter().map(|(_, i)| i).collect(),
        completed,
        total_published: published_slugs.len() as i64,
    })
}

// --- admin ---------------------------------------------------------------------------------

fn source_of(row: &lesson::Model) -> ApiResult<LessonSource> {
    let quiz = store::quiz_of(row)?;
    Ok(LessonSource {
        slug: row.slug.clone(),
        locale: row.locale.clone(),
        title: row.title.clone(),
        summary: row.summary.clone(),
        category: row.category.clone(),
        minutes: row.minutes,
        cover: row.cover.clone(),
        points: row.points,
        pass_mark: row.pass_mark,
        published: row.published,
        order: row.position,
        body_md: row.body_md.clone(),
        quiz: quiz
            .into_iter()
            .map(|q| LessonQuestionInput {
                id: q.id,
                prompt: q.prompt,
                options: q.options,
                answer: q.answer as i64,
            })
            .collect(),
        version: row.version,
        updated_at: row.updated_at,
    })
}

pub async fn source(
    state: &AppState,
    user: &AuthUser,
    slug: &str,
    locale: Option<&str>,
) -> ApiResult<LessonSource> {
    user.require(&[Role::Admin])?;
    let locale = locale_of(locale)?;
    let row = store::find(&state.db, slug, locale)
        .await?
        .ok_or_else(ApiError::not_found)?;
    source_of(&row)
}

/// The stored other locale of `lesson`, as a lesson.
async fn sibling<C: ConnectionTrait>(conn: &C, lesson: &Lesson) -> ApiResult<Option<Lesson>> {
    match store::find(conn, &lesson.slug, content::other_locale(&lesson.locale)).await? {
        Some(row) => Ok(Some(store::lesson_of(&row)?)),
        None => Ok(None),
    }
}

/// A new lesson, or a new locale of one (which must agree with the stored locale).
pub async fn create(
    state: &AppState,
    user: &AuthUser,
    input: LessonInput,
) -> ApiResult<LessonSource> {
    user.require(&[Role::Admin])?;
    let lesson = content::validate(&input).map_err(ApiError::validation)?;
    let txn = state.db.begin().await?;
    if let Some(other) = sibling(&txn, &lesson).await? {
        let errors = content::check_pair(&lesson, &other);
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
    }
    if !store::insert(&txn, &lesson, Origin::Admin).await? {
        return Err(ApiError::new(
            Code::Conflict,
            format!(
                "lesson {} already exists in {}; PUT /api/v1/lessons/{}/{} replaces it",
                lesson.slug, lesson.locale, lesson.slug, lesson.locale
            ),
        ));
    }
    let row = store::find(&txn, &lesson.slug, &lesson.locale)
        .await?
        .ok_or_else(ApiError::not_found)?;
    txn.commit().await?;
    tracing::info!(slug = %lesson.slug, locale = %lesson.locale, "lesson created");
    source_of(&row)
}

/// Replaces one locale. Category, minutes, cover, points, pass mark and order belong to the
/// lesson, so they change in the other locale too; its quiz must keep the same questions and
/// answers.
pub async fn replace(
    state: &AppState,
    user: &AuthUser,
    slug: &str,
    locale: &str,
    input: LessonInput,
) -> ApiResult<LessonSource> {
    user.require(&[Role::Admin])?;
    let mut errors = Vec::new();
    if input.slug.trim() != slug {
        errors.push(FieldError::new(
            "slug",
            "path_mismatch",
            "slug must match the path",
        ));
    }
    if input.locale.trim() != locale {
        errors.push(FieldError::new(
            "locale",
            "path_mismatch",
            "locale must match the path",
        ));
    }
    if !content::is_slug(slug) || !content::is_locale(locale) {
        return Err(ApiError::not_found());
    }
    let txn = state.db.begin().await?;
    let existing = store::find(&txn, slug, locale)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let lesson = match content::validate(&input) {
        Ok(l) if errors.is_empty() => l,
        Ok(_) => return Err(ApiError::validation(errors)),
        Err(more) => {
            errors.extend(more);
            return Err(ApiError::validation(errors));
        }
    };
    if let Some(mut other) = sibling(&txn, &lesson).await? {
        other.category = lesson.category.clone();
        other.minutes = lesson.minutes;
        other.cover = lesson.cover.clone();
        other.points = lesson.points;
        other.pass_mark = lesson.pass_mark;
        other.order = lesson.order;
        let errors = content::check_pair(&lesson, &other);
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        store::upsert(&txn, &other, Origin::Admin).await?;
    }
    let change = store::upsert(&txn, &lesson, Origin::Admin).await?;
    // The built-in files no longer update this lesson: it is the admin's now, in both locales.
    lesson::Entity::update_many()
        .set(lesson::ActiveModel {
            origin: Set(Origin::Admin.as_str().to_string()),
            ..Default::default()
        })
        .filter(lesson::Column::Slug.eq(slug))
        .exec(&txn)
        .await?;
    let row = store::find(&txn, slug, locale).await?.unwrap_or(existing);
    txn.commit().await?;
    if let Change::Updated { version } = change {
        tracing::info!(%slug, %locale, version, "lesson replaced");
    }
    source_of(&row)
}

/// Shows or hides every locale of a lesson.
pub async fn publish(
    state: &AppState,
    user: &AuthUser,
    slug: &str,
    published: bool,
) -> ApiResult<LessonPublication> {
    user.require(&[Role::Admin])?;
    if !content::is_slug(slug) {
        return Err(ApiError::not_found());
    }
    let txn = state.db.begin().await?;
    let res = lesson::Entity::update_many()
        .set(lesson::ActiveModel {
            published: Set(published),
            updated_at: Set(chrono::Utc::now()),
            ..Default::default()
        })
        .filter(lesson::Column::Slug.eq(slug))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(ApiError::not_found());
    }
    let rows = visible_rows(&txn, slug, true).await?;
    txn.commit().await?;
    tracing::info!(%slug, published, "lesson publication changed");
    Ok(LessonPublication {
        slug: slug.to_string(),
        published,
        locales: rows.into_iter().map(|r| r.locale).collect(),
    })
}
