use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::*;
use super::{attempts, service};
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::{ApiResult, Problem};
use crate::http::ApiJson;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_lessons)
        .service(create_lesson)
        .service(get_lesson)
        .service(lesson_source)
        .service(publish_lesson)
        .service(unpublish_lesson)
        .service(submit_attempt)
        .service(replace_lesson)
        .service(my_progress);
}

/// The lessons (微课堂), one card per lesson in the asked locale or, lacking it, the other.
/// A signed-in rider also gets their progress on each; admins also see drafts.
#[utoipa::path(tag = "lessons", params(LessonListParams),
    responses((status = 200, body = LessonList),
        (status = 401, description = "A bearer token was sent but is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown category or locale", body = Problem, content_type = "application/problem+json")))]
#[get("/lessons")]
async fn list_lessons(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    params: web::Query<LessonListParams>,
) -> ApiResult<HttpResponse> {
    let list = service::list(&state, user.0.as_ref(), &params).await?;
    // Anonymous lists are the same for everyone; a rider's carries their progress.
    let cache = if user.0.is_some() {
        "private, no-cache"
    } else {
        "public, max-age=60"
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::VARY, "Authorization"))
        .json(list))
}

/// One lesson: the body as safe HTML and the quiz without its answers. Cacheable (ETag, five
/// minutes) so it can be read offline.
#[utoipa::path(tag = "lessons", params(("slug" = String, Path), LocaleParams),
    responses((status = 200, body = LessonDetail, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        (status = 404, description = "No such lesson, or not published", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/lessons/{slug}")]
async fn get_lesson(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    slug: web::Path<String>,
    params: web::Query<LocaleParams>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let detail = service::detail(&state, user.0.as_ref(), &slug, params.locale.as_deref()).await?;
    // Drafts (admins only) must not sit in shared caches.
    let cache = if detail.dto.published {
        "public, max-age=300"
    } else {
        "private, no-store"
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == detail.etag || t.trim() == format!("W/{}", detail.etag))
        });
    let mut res = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, detail.etag.clone()));
    Ok(if matches {
        res.finish()
    } else {
        res.json(detail.dto)
    })
}

/// A lesson with its answers, for editing (admin).
#[utoipa::path(tag = "lessons", security(("bearer" = [])), params(("slug" = String, Path), LocaleParams),
    responses((status = 200, body = LessonSource),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/lessons/{slug}/source")]
async fn lesson_source(
    state: web::Data<AppState>,
    user: AuthUser,
    slug: web::Path<String>,
    params: web::Query<LocaleParams>,
) -> ApiResult<HttpResponse> {
    let dto = service::source(&state, &user, &slug, params.locale.as_deref()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(dto))
}

/// Create a lesson, or another locale of one (admin). A new lesson is a draft unless
/// `published` is true; a second locale must agree with the first (category, minutes, cover,
/// points, pass mark, question ids and answers).
#[utoipa::path(tag = "lessons", security(("bearer" = [])), request_body = LessonInput,
    responses((status = 201, body = LessonSource),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "That slug already exists in that locale", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/lessons")]
async fn create_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<LessonInput>,
) -> ApiResult<HttpResponse> {
    let dto = service::create(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(dto))
}

/// Replace one locale of a lesson (admin); changed content is a new version. Category,
/// minutes, cover, points, pass mark and order apply to both locales; the other locale's quiz
/// must keep the same question ids and answers.
#[utoipa::path(tag = "lessons", security(("bearer" = [])),
    params(("slug" = String, Path), ("locale" = String, Path, example = "zh-CN")), request_body = LessonInput,
    responses((status = 200, body = LessonSource),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/lessons/{slug}/{locale}")]
async fn replace_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
    body: ApiJson<LessonInput>,
) -> ApiResult<web::Json<LessonSource>> {
    let (slug, locale) = path.into_inner();
    Ok(web::Json(
        service::replace(&state, &user, &slug, &locale, body.into_inner()).await?,
    ))
}

/// Show a lesson to riders, in every locale it has (admin).
#[utoipa::path(tag = "lessons", security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = LessonPublication),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[post("/lessons/{slug}/publish")]
async fn publish_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    slug: web::Path<String>,
) -> ApiResult<web::Json<LessonPublication>> {
    Ok(web::Json(
        service::publish(&state, &user, &slug, true).await?,
    ))
}

/// Hide a lesson from riders (admin). Progress and points already earned stay.
#[utoipa::path(tag = "lessons", security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = LessonPublication),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[post("/lessons/{slug}/unpublish")]
async fn unpublish_lesson(
    state: web::Data<AppState>,
    user: AuthUser,
    slug: web::Path<String>,
) -> ApiResult<web::Json<LessonPublication>> {
    Ok(web::Json(
        service::publish(&state, &user, &slug, false).await?,
    ))
}

/// Answer the quiz (riders). Graded on the server: the result names the wrong questions, not
/// the right options. The first pass pays the lesson's points, once per rider.
#[utoipa::path(tag = "lessons", security(("bearer" = [])), params(("slug" = String, Path)), request_body = AttemptRequest,
    responses((status = 200, body = AttemptResult),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only riders take quizzes", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lesson, or not published", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The lesson changed since `version` (`current_version` says to what)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not every question answered exactly once with one of its options", body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/lessons/{slug}/attempts")]
async fn submit_attempt(
    state: web::Data<AppState>,
    user: AuthUser,
    slug: web::Path<String>,
    body: ApiJson<AttemptRequest>,
) -> ApiResult<HttpResponse> {
    let result = attempts::submit(&state, &user, &slug, body.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(result))
}

/// The signed-in rider's lessons: attempts, best scores, points earned.
#[utoipa::path(tag = "lessons", security(("bearer" = [])), params(LocaleParams),
    responses((status = 200, body = ProgressList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only riders have progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/me/progress")]
async fn my_progress(
    state: web::Data<AppState>,
    user: AuthUser,
    params: web::Query<LocaleParams>,
) -> ApiResult<HttpResponse> {
    let list = service::progress(&state, &user, params.locale.as_deref()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .json(list))
}
