//! A validated lesson: every rule of the lesson format (docs/lesson-format.md), shared by the
//! file importer and the admin API, plus the rules that tie a slug's two locales together.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::dto::{LessonInput, LessonQuestionInput};
use super::render;
use crate::error::FieldError;

pub const LOCALES: [&str; 2] = ["zh-CN", "en"];
pub const CATEGORIES: [&str; 8] = [
    "traffic_safety",
    "heat_and_cold",
    "first_aid",
    "labor_rights",
    "e_bike_battery_safety",
    "mental_health",
    "skills",
    "policy",
];
pub const OPTION_IDS: [&str; 4] = ["a", "b", "c", "d"];
pub const DEFAULT_ORDER: i32 = 100;
const MAX_BODY_CHARS: usize = 8000;

/// A question as stored in `quiz_json`, answer included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub options: Vec<String>,
    pub answer: usize,
}

/// One locale of one lesson, known to satisfy every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub slug: String,
    pub locale: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub minutes: i32,
    pub cover: String,
    pub points: i32,
    pub pass_mark: i32,
    /// None: keep what is stored (or the default on insert).
    pub published: Option<bool>,
    pub order: i32,
    pub body_md: String,
    pub quiz: Vec<Question>,
}

pub fn is_locale(s: &str) -> bool {
    LOCALES.contains(&s)
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A locale query parameter: absent means zh-CN; present, it must be one (`locale=` is not).
pub fn parse_locale(value: Option<&str>) -> Result<&'static str, FieldError> {
    match value {
        None => Ok("zh-CN"),
        Some(v) => LOCALES.iter().copied().find(|l| *l == v).ok_or_else(|| {
            FieldError::new("locale", "invalid_locale", "locale must be zh-CN or en")
        }),
    }
}

/// The other locale of a pair.
pub fn other_locale(locale: &str) -> &'static str {
    if locale == "en" {
        "zh-CN"
    } else {
        "en"
    }
}

fn text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push(FieldError::new(
            field,
            "required",
            format!("{field} must not be empty"),
        ));
    } else if v.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("{field} must be at most {max} characters"),
        ));
    } else if v.chars().any(|c| c.is_control()) {
        errors.push(FieldError::new(
            field,
            "invalid_characters",
            format!("{field} must be one line without control characters"),
        ));
    }
    v.to_string()
}

fn range(errors: &mut Vec<FieldError>, field: &str, value: i64, min: i64, max: i64) -> i32 {
    if value < min || value > max {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("{field} must be {min}–{max}"),
        ));
        return 0;
    }
    value as i32
}

/// One emoji: a short run of non-ASCII symbols (ZWJ sequences, flags, skin tones, variation
/// selectors), no letters, digits or spaces of any script.
pub fn is_emoji(s: &str) -> bool {
    let n = s.chars().count();
    (1..=10).contains(&n)
        && s.chars()
            .all(|c| !c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control())
}

/// Checks one lesson against every rule; errors name the field (`quiz[1].options[2]`).
pub fn validate(input: &LessonInput) -> Result<Lesson, Vec<FieldError>> {
    let mut errors = Vec::new();
    let slug = input.slug.trim().to_string();
    if !is_slug(&slug) {
        errors.push(FieldError::new(
            "slug",
            "invalid_slug",
            "slug must be 1–60 characters of a-z, 0-9 and -",
        ));
    }
    let locale = input.locale.trim().to_string();
    if !is_locale(&locale) {
        errors.push(FieldError::new(
            "locale",
            "invalid_locale",
            "locale must be zh-CN or en",
        ));
    }
    let title = text(&mut errors, "title", &input.title, 60);
    let summary = text(&mut errors, "summary", &input.summary, 140);
    let category = input.category.trim().to_string();
    if !CATEGORIES.contains(&category.as_str()) {
        errors.push(FieldError::new(
            "category",
            "invalid_category",
            format!("category must be one of {}", CATEGORIES.join(", ")),
        ));
    }
    let minutes = range(&mut errors, "minutes", input.minutes, 1, 5);
    let cover = input.cover.trim().to_string();
    if !is_emoji(&cover) {
        errors.push(FieldError::new(
            "cover",
            "invalid_cover",
            "cover must be one emoji",
        ));
    }
    let points = range(&mut errors, "points", input.points, 1, 100);
    let pass_mark = range(&mut errors, "pass_mark", input.pass_mark, 1, 100);
    let order = range(
        &mut errors,
        "order",
        input.order.unwrap_or(DEFAULT_ORDER as i64),
        0,
        10_000,
    );

    let body_md = input.body_md.trim().replace("\r\n", "\n");
    if body_md.is_empty() {
        errors.push(FieldError::new(
            "body_md",
            "required",
            "the body must not be empty",
        ));
    } else if body_md.chars().count() > MAX_BODY_CHARS {
        errors.push(FieldError::new(
            "body_md",
            "too_long",
            format!("the body must be at most {MAX_BODY_CHARS} characters"),
        ));
    } else {
        for problem in render::lint(&body_md) {
            errors.push(FieldError::new("body_md", problem.code, problem.message));
        }
    }

    let quiz = validate_quiz(&mut errors, &input.quiz);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Lesson {
        slug,
        locale,
        title,
        summary,
        category,
        minutes,
        cover,
        points,
        pass_mark,
        published: input.published,
        order,
        body_md,
        quiz,
    })
}

fn validate_quiz(errors: &mut Vec<FieldError>, quiz: &[LessonQuestionInput]) -> Vec<Question> {
    if !(2..=5).contains(&quiz.len()) {
        errors.push(FieldError::new(
            "quiz",
            "wrong_length",
            "a quiz has 2–5 questions",
        ));
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (i, q) in quiz.iter().enumerate() {
        let at = format!("quiz[{i}]");
        let id = q.id.trim().to_string();
        let valid_id =
            id.len() == 2 && id.starts_with('q') && matches!(id.as_bytes()[1], b'1'..=b'5');
        if !valid_id {
            errors.push(FieldError::new(
                format!("{at}.id"),
                "invalid_id",
                "question ids are q1 … q5",
            ));
        } else if seen.contains(&id) {
            errors.push(FieldError::new(
                format!("{at}.id"),
                "duplicate",
                format!("question id {id} is used twice"),
            ));
        }
        seen.push(id.clone());
        let prompt = text(errors, &format!("{at}.prompt"), &q.prompt, 200);
        if !(2..=4).contains(&q.options.len()) {
            errors.push(FieldError::new(
                format!("{at}.options"),
                "wrong_length",
                "a question has 2–4 options",
            ));
        }
        let mut options: Vec<String> = Vec::new();
        for (j, o) in q.options.iter().enumerate() {
            let field = format!("{at}.options[{j}]");
            let o = text(errors, &field, o, 120);
            if !o.is_empty() && options.contains(&o) {
                errors.push(FieldError::new(
                    field,
                    "duplicate",
                    "two options read the same",
                ));
            }
            options.push(o);
        }
        let answer = if q.answer >= 0 && (q.answer as usize) < q.options.len() {
            q.answer as usize
        } else {
            errors.push(FieldError::new(
                format!("{at}.answer"),
                "out_of_range",
                "answer is the 0-based index of one of the options",
            ));
            0
        };
        out.push(Question {
            id,
            prompt,
            options,
            answer,
        });
    }
    out
}

/// The rules tying a slug's two locales together; errors name the field of `lesson`.
pub fn check_pair(lesson: &Lesson, other: &Lesson) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let theirs = &other.locale;
    let mut differ = |field: &str, mine: String, other: String| {
        if mine != other {
            errors.push(FieldError::new(
                field,
                "locale_mismatch",
                format!("{field} is {mine} here but {other} in the {theirs} version; both locales must agree"),
            ));
        }
    };
    differ("category", lesson.category.clone(), other.category.clone());
    differ(
        "minutes",
        lesson.minutes.to_string(),
        other.minutes.to_string(),
    );
    differ("cover", lesson.cover.clone(), other.cover.clone());
    differ(
        "points",
        lesson.points.to_string(),
        other.points.to_string(),
    );
    differ(
        "pass_mark",
        lesson.pass_mark.to_string(),
        other.pass_mark.to_string(),
    );
    let ids = |l: &Lesson| {
        l.quiz
            .iter()
            .map(|q| q.id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    if ids(lesson) != ids(other) {
        differ(
            "quiz",
            format!("[{}]", ids(lesson)),
            format!("[{}]", ids(other)),
        );
        return errors;
    }
    for (i, (a, b)) in lesson.quiz.iter().zip(&other.quiz).enumerate() {
        differ(
            &format!("quiz[{i}].answer"),
            a.answer.to_string(),
            b.answer.to_string(),
        );
        differ(
            &format!("quiz[{i}].options"),
            format!("{} options", a.options.len()),
            format!("{} options", b.options.len()),
        );
    }
    errors
}

impl Lesson {
    /// Hash of everything a rider sees or is graded on (not the published flag): a changed hash
    /// is a new version.
    pub fn content_hash(&self) -> String {
        let canonical = serde_json::json!({
            "slug": self.slug, "locale": self.locale, "title": self.title,
            "summary": self.summary, "category": self.category, "minutes": self.minutes,
            "cover": self.cover, "points": self.points, "pass_mark": self.pass_mark,
            "order": self.order, "body_md": self.body_md, "quiz": self.quiz,
        });
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }

    pub fn quiz_json(&self) -> String {
        serde_json::to_string(&self.quiz).unwrap_or_else(|_| "[]".into())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn input(locale: &str) -> LessonInput {
        LessonInput {
            slug: "heat-stroke".into(),
            locale: locale.into(),
            title: "防中暑".into(),
            summary: "高温天怎么跑单".into(),
            category: "heat_and_cold".into(),
            minutes: 3,
            cover: "🥵".into(),
            points: 10,
            pass_mark: 60,
            published: Some(true),
            order: None,
            body_md: "## 喝水\n\n每小时喝水。拨打 [120](tel:120)。".into(),
            quiz: vec![
                LessonQuestionInput {
                    id: "q1".into(),
                    prompt: "多久喝一次水？".into(),
                    options: vec!["每小时".into(), "下班后".into()],
                    answer: 0,
                },
                LessonQuestionInput {
                    id: "q2".into(),
                    prompt: "头晕怎么办？".into(),
                    options: vec!["继续跑".into(), "阴凉处休息".into(), "喝冰可乐".into()],
                    answer: 1,
                },
            ],
        }
    }

    fn fields(input: &LessonInput) -> Vec<String> {
        let mut f: Vec<String> = validate(input)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        f.sort();
        f
    }

    #[test]
    fn a_valid_lesson_passes() {
        let l = validate(&input("zh-CN")).unwrap();
        assert_eq!(l.order, DEFAULT_ORDER);
        assert_eq!(l.quiz[1].answer, 1);
        assert_eq!(l.content_hash().len(), 64);
    }

    #[test]
    fn every_rule_names_its_field() {
        let mut i = input("fr");
        i.slug = "Heat Stroke".into();
        i.title = "长".repeat(61);
        i.summary = " ".into();
        i.category = "weather".into();
        i.minutes = 6;
        i.cover = "hot".into();
        i.points = 0;
        i.pass_mark = 101;
        i.body_md = "<script>alert(1)</script>".into();
        i.quiz[0].id = "x1".into();
        i.quiz[0].options = vec!["只有一个".into()];
        i.quiz[1].id = "q9".into();
        i.quiz[1].answer = 3;
        assert_eq!(
            fields(&i),
            [
                "body_md",
                "category",
                "cover",
                "locale",
                "minutes",
                "pass_mark",
                "points",
                "quiz[0].id",
                "quiz[0].options",
                "quiz[1].answer",
                "quiz[1].id",
                "slug",
                "summary",
                "title"
            ]
        );
        let mut i = input("en");
        i.quiz.truncate(1);
        assert_eq!(fields(&i), ["quiz"]);
        let mut i = input("en");
        i.quiz[1].id = "q1".into();
        i.quiz[1].options[2] = "继续跑".into();
        assert_eq!(fields(&i), ["quiz[1].id", "quiz[1].options[2]"]);
        let mut i = input("en");
        i.body_md = "x".repeat(8001);
        assert_eq!(fields(&i), ["body_md"]);
    }

    #[test]
    fn emoji_covers() {
        for ok in ["🔋", "🥵", "❄️", "👩‍⚕️", "🇨🇳", "⚡"] {
            assert!(is_emoji(ok), "{ok}");
        }
        for bad in ["", "a", "电", "🔋 ", "🔋a", "🔋🔋🔋🔋🔋🔋🔋🔋🔋🔋🔋"]
        {
            assert!(!is_emoji(bad), "{bad}");
        }
    }

    #[test]
    fn pairs_must_agree() {
        let zh = validate(&input("zh-CN")).unwrap();
        let mut en = validate(&input("en")).unwrap();
        assert!(check_pair(&en, &zh).is_empty());
        en.points = 20;
        en.quiz[1].answer = 2;
        en.quiz[0].options.push("x".into());
        let f: Vec<_> = check_pair(&en, &zh).into_iter().map(|e| e.field).collect();
        assert_eq!(f, ["points", "quiz[0].options", "quiz[1].answer"]);
        en.quiz[1].id = "q3".into();
        let f: Vec<_> = check_pair(&en, &zh).into_iter().map(|e| e.field).collect();
        assert_eq!(f, ["points", "quiz"]);
    }

    #[test]
    fn locale_parameter() {
        assert_eq!(parse_locale(None).unwrap(), "zh-CN");
        assert_eq!(parse_locale(Some("en")).unwrap(), "en");
        assert_eq!(parse_locale(Some("fr")).unwrap_err().field, "locale");
    }
}
