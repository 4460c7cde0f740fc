use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::entity::audit_log;

/// Whether the caller got what they asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuditOutcome {
    Allowed,
    Denied,
}

/// One audited access.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// Who: the caller's user id (kept after the account is deleted).
    pub actor_id: Option<Uuid>,
    /// `rider` | `operator` | `staff` | `admin`, as the caller's token said.
    pub actor_role: Option<String>,
    /// What, e.g. `help_request.read`, `help_request.list`, `rider.identify`,
    /// `service_log.list`, `station.summary`; other routes `http.<method>`.
    pub action: String,
    pub method: String,
    /// The route template, e.g. `/api/v1/help-requests/{id}`.
    pub route: String,
    /// The id in the route (a help request, a station), if it has one.
    pub object_id: Option<Uuid>,
    pub outcome: AuditOutcome,
    /// The HTTP status answered.
    pub status: u16,
}

impl From<audit_log::Model> for AuditEntry {
    fn from(m: audit_log::Model) -> Self {
        Self {
            id: m.id,
            at: m.at,
            actor_id: m.actor_id,
            actor_role: m.actor_role,
            action: m.action,
            method: m.method,
            route: m.route,
            object_id: m.object_id,
            outcome: if m.outcome == "allowed" {
                AuditOutcome::Allowed
            } else {
                AuditOutcome::Denied
            },
            status: m.status as u16,
        }
    }
}

/// Newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// Query of `GET /admin/audit-log`. Values are parsed by hand so each bad one is named.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this actor's entries.
    #[param(value_type = Option<Uuid>)]
    pub actor_id: Option<String>,
    /// Only this action, e.g. `help_request.read`.
    pub action: Option<String>,
    /// `allowed` or `denied`.
    #[param(value_type = Option<AuditOutcome>)]
    pub outcome: Option<String>,
    /// From this instant (RFC 3339), inclusive.
    #[param(value_type = Option<DateTime<Utc>>)]
    pub from: Option<String>,
    /// Before this instant (RFC 3339), exclusive.
    #[param(value_type = Option<DateTime<Utc>>)]
    pub to: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 1–100 (default 20).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}
