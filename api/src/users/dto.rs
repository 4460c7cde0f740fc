use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::phone::mask;
use crate::auth::Role;
use crate::entity::user;
use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Locale {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "en" {
            Locale::En
        } else {
            Locale::ZhCn
        }
    }
}

/// A user as the user themself sees it (the full phone is only ever sent to its owner).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserDto {
    pub id: Uuid,
    pub role: Role,
    #[schema(example = "13812341234")]
    pub phone: String,
    #[schema(example = "138****1234")]
    pub phone_masked: String,
    pub display_name: String,
    pub locale: Locale,
    /// The operator's station.
    pub station_id: Option<Uuid>,
    /// The staff member's region (GB/T 2260 code).
    pub region_code: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl UserDto {
    pub fn from_model(m: &user::Model, phone: String) -> Self {
        Self {
            id: m.id,
            role: Role::parse(&m.role).unwrap_or(Role::Rider),
            phone_masked: mask(&phone),
            phone,
            display_name: m.display_name.clone(),
            locale: Locale::parse(&m.locale),
            station_id: m.station_id,
            region_code: m.region_code.clone(),
            created_at: m.created_at,
        }
    }
}

/// Only these fields may be changed by the user; anything else (e.g. `role`) is rejected.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[schema(min_length = 1, max_length = 40)]
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Everything stored about the user (personal-information portability).
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportDto {
    pub exported_at: DateTime<Utc>,
    pub user: UserDto,
    pub sessions: Vec<SessionDto>,
    /// Whether the user agreed to appear on the monthly star-rider list.
    pub star_opt_in: bool,
    pub check_ins: Vec<ExportCheckIn>,
    pub help_requests: Vec<ExportHelpRequest>,
    pub points: Vec<ExportPointsEntry>,
    pub lesson_progress: Vec<ExportLessonProgress>,
    /// Services stations logged for the rider (after they showed their code).
    pub services_received: Vec<crate::service_logs::dto::ReceivedService>,
    /// Every quiz attempt with the answers given.
    pub lesson_attempts: Vec<ExportLessonAttempt>,
    /// Redemption codes the rider asked for (the codes are kept only as hashes).
    pub redemption_codes: Vec<ExportRedemptionCode>,
    /// Rewards received at stations.
    pub redemptions: Vec<ExportRedemption>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportLessonAttempt {
    pub slug: String,
    pub locale: String,
    pub version: i32,
    pub score: i32,
    pub passed: bool,
    /// The options chosen, in the quiz's question order.
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportRedemptionCode {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportRedemption {
    pub reward_id: Uuid,
    pub station_id: Uuid,
    pub cost: i64,
    pub at: DateTime<Utc>,
}

/// One step of a help request's timeline. Who acted is given by role only.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportHelpEvent {
    pub at: DateTime<Utc>,
    pub actor_role: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub tier: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportCheckIn {
    pub station_id: Uuid,
    pub at: DateTime<Utc>,
}

/// A help request as the rider filed it (its timeline is in the app).
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportHelpRequest {
    pub id: Uuid,
    pub category: String,
    pub urgency: String,
    pub status: String,
    pub description: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub station_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub rating: Option<i32>,
    pub feedback_comment: Option<String>,
    pub timeline: Vec<ExportHelpEvent>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportPointsEntry {
    pub delta: i64,
    pub reason: String,
    pub source: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportLessonProgress {
    pub slug: String,
    pub best_score: i32,
    pub passed: bool,
    pub attempts: i32,
    pub points_awarded: i32,
    pub first_passed_at: Option<DateTime<Utc>>,
}

pub const DISPLAY_NAME_MAX: usize = 40;

/// Trimmed, 1–40 characters, no control characters.
pub fn parse_display_name(input: &str) -> Result<String, FieldError> {
    let name = input.trim();
    let len = name.chars().count();
    if len == 0 {
        return Err(FieldError::new(
            "display_name",
            "required",
            "must not be empty",
        ));
    }
    if len > DISPLAY_NAME_MAX {
        return Err(FieldError::new(
            "display_name",
            "too_long",
            "must be at most 40 characters",
        ));
    }
    if name
        .chars()
        .any(|c| c.is_control() || is_invisible_format(c))
    {
        return Err(FieldError::new(
            "display_name",
            "invalid_characters",
            "must not contain control, direction-override or zero-width characters",
        ));
    }
    Ok(name.to_string())
}

/// Characters that print nothing yet change what is shown around them: bidi overrides and
/// isolates (U+202E makes a name read backwards), zero-width spaces and joiners (two names that
/// look the same), the BOM and soft hyphen. Names shown to operators and on star-rider lists
/// must look like what they are.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        assert_eq!(parse_display_name("  小王 ").unwrap(), "小王");
        assert_eq!(parse_display_name("   ").unwrap_err().code, "required");
        assert_eq!(
            parse_display_name(&"骑".repeat(41)).unwrap_err().code,
            "too_long"
        );
        assert!(parse_display_name(&"骑".repeat(40)).is_ok());
        for bad in [
            "a\u{0}b",
            "\u{202E}nimda",
            "小\u{200B}王",
            "\u{2066}x\u{2069}",
            "a\u{FEFF}",
        ] {
            assert_eq!(
                parse_display_name(bad).unwrap_err().code,
                "invalid_characters",
                "{bad:?}"
            );
        }
        assert!(parse_display_name("王小二 Wang-2").is_ok());
    }
}
