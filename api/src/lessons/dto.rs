//! Request and response shapes of the lessons API. Riders' shapes never carry the answers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /lessons`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LessonListParams {
    /// One category code, e.g. `traffic_safety`.
    #[param(value_type = Option<LessonCategory>, inline, example = "traffic_safety")]
    pub category: Option<String>,
    /// `zh-CN` (default) or `en`; a lesson without that locale comes in the other one.
    #[param(value_type = Option<crate::users::dto::Locale>, example = "zh-CN")]
    pub locale: Option<String>,
}

/// Query with just a locale.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocaleParams {
    /// `zh-CN` (default) or `en`.
    #[param(value_type = Option<crate::users::dto::Locale>, example = "en")]
    pub locale: Option<String>,
}

/// The signed-in rider's standing on one lesson.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct LessonProgressDto {
    pub passed: bool,
    /// Best score so far, 0–100.
    pub best_score: i32,
    pub attempts: i32,
    /// Points this lesson has paid the rider (0 until passed).
    pub points_awarded: i32,
}

/// A lesson as the list shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonCard {
    #[schema(example = "e-bike-battery-safety")]
    pub slug: String,
    /// The locale this card is in (the other one when the asked one is missing).
    #[schema(example = "zh-CN")]
    pub locale: String,
    pub title: String,
    pub summary: String,
    #[schema(example = "e_bike_battery_safety")]
    pub category: String,
    /// Reading plus quiz, 1–5.
    pub minutes: i32,
    /// One emoji.
    #[schema(example = "🔋")]
    pub cover: String,
    /// Paid once, on the first pass.
    pub points: i32,
    pub version: i32,
    /// Always true for riders; admins also see drafts.
    pub published: bool,
    /// Present when a rider is signed in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<LessonProgressDto>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonList {
    pub items: Vec<LessonCard>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonOption {
    /// `a`, `b`, `c`, `d` by position.
    #[schema(example = "a")]
    pub id: String,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonQuestion {
    #[schema(example = "q1")]
    pub id: String,
    pub prompt: String,
    pub options: Vec<LessonOption>,
}

/// The quiz without its answers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonQuiz {
    pub questions: Vec<LessonQuestion>,
}

/// One lesson to read and take: the body as safe HTML, the quiz without answers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonDetail {
    pub slug: String,
    pub locale: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub minutes: i32,
    pub cover: String,
    pub points: i32,
    /// Percent needed to pass.
    pub pass_mark: i32,
    pub version: i32,
    pub published: bool,
    /// Rendered from Markdown; raw HTML in the source is shown as text, unsafe links are inert.
    pub body_html: String,
    #[schema(example = json!(["zh-CN", "en"]))]
    pub available_locales: Vec<String>,
    pub quiz: LessonQuiz,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptAnswer {
    #[schema(example = "q1")]
    pub question_id: String,
    #[schema(example = "b")]
    pub option_id: String,
}

/// Answers to every question of the quiz, each exactly once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptRequest {
    pub answers: Vec<AttemptAnswer>,
    /// The locale the rider read (default: as `GET /lessons/{slug}` picks it).
    #[schema(example = "zh-CN")]
    pub locale: Option<String>,
    /// The version the rider saw; a different current version is a 409.
    pub version: Option<i32>,
}

/// The graded attempt: which answers were wrong, never which were right.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttemptResult {
    /// 0–100.
    pub score: i32,
    pub passed: bool,
    pub correct: i32,
    pub total: i32,
    pub wrong_question_ids: Vec<String>,
    /// Points this attempt paid (only the first pass pays).
    pub points_awarded: i32,
    /// The lesson had already paid this rider before this attempt.
    pub already_awarded: bool,
    /// The rider's points balance after this attempt.
    pub balance: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProgressItem {
    pub slug: String,
    pub title: String,
    pub passed: bool,
    pub best_score: i32,
    pub attempts: i32,
    pub points_awarded: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_passed_at: Option<DateTime<Utc>>,
}

/// The rider's lessons so far.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProgressList {
    pub items: Vec<ProgressItem>,
    /// Published lessons the rider has passed.
    pub completed: i64,
    pub total_published: i64,
}

/// A quiz question with its answer (admin and files only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LessonQuestionInput {
    /// `q1` … `q5`.
    #[schema(example = "q1")]
    pub id: String,
    pub prompt: String,
    /// 2–4 options; their ids are `a`, `b`, `c`, `d` by position.
    pub options: Vec<String>,
    /// 0-based index of the one right option.
    pub answer: i64,
}

/// A whole lesson in one locale, as an admin writes it (the same rules as lesson files).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonInput {
    /// `[a-z0-9-]`, ≤ 60; shared by both locales.
    #[schema(example = "e-bike-battery-safety")]
    pub slug: String,
    /// `zh-CN` or `en`.
    #[schema(example = "zh-CN")]
    pub locale: String,
    /// ≤ 60 characters.
    pub title: String,
    /// ≤ 140 characters.
    pub summary: String,
    pub category: String,
    /// 1–5.
    pub minutes: i64,
    /// One emoji.
    pub cover: String,
    /// 1–100.
    pub points: i64,
    /// Percent, 1–100.
    pub pass_mark: i64,
    /// Create: default false (a draft). Replace: default unchanged.
    pub published: Option<bool>,
    /// List sort key (default 100), then slug.
    pub order: Option<i64>,
    /// CommonMark, ≤ 8000 characters; no raw HTML, no images, links only https: or tel:.
    pub body_md: String,
    /// 2–5 questions.
    pub quiz: Vec<LessonQuestionInput>,
}

/// A lesson with its answers, for editing (admin).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonSource {
    pub slug: String,
    pub locale: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub minutes: i32,
    pub cover: String,
    pub points: i32,
    pub pass_mark: i32,
    pub published: bool,
    pub order: i32,
    pub body_md: String,
    pub quiz: Vec<LessonQuestionInput>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// Whether a lesson is shown to riders, and in which locales it exists.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonPublication {
    pub slug: String,
    pub published: bool,
    pub locales: Vec<String>,
}

// `content::CATEGORIES` decides; this copy is for the document, and a test keeps them equal.
/// A lesson's category.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LessonCategory {
    TrafficSafety,
    HeatAndCold,
    FirstAid,
    LaborRights,
    EBikeBatterySafety,
    MentalHealth,
    Skills,
    Policy,
}

#[cfg(test)]
mod category_tests {
    use super::LessonCategory::*;

    #[test]
    fn the_documented_categories_are_the_accepted_ones() {
        let documented: Vec<String> = [
            TrafficSafety,
            HeatAndCold,
            FirstAid,
            LaborRights,
            EBikeBatterySafety,
            MentalHealth,
            Skills,
            Policy,
        ]
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
        assert_eq!(documented, super::super::content::CATEGORIES);
    }
}
