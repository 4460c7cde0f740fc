//! Help-request vocabulary and the state machine, as pure functions: which action leads where,
//! who may take it at which tier, and what the caller may do now.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A closed set of snake_case codes stored as text.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

codes! {
    /// What the rider needs help with.
    HelpCategory {
        WageArrears = "wage_arrears",
        TrafficAccident = "traffic_accident",
        CustomerDispute = "customer_dispute",
        PlatformDispute = "platform_dispute",
        VehicleBreakdown = "vehicle_breakdown",
        Medical = "medical",
        LegalConsult = "legal_consult",
        Psychological = "psychological",
        Housing = "housing",
        ChildrenEducation = "children_education",
        HazardReport = "hazard_report",
        Suggestion = "suggestion",
        Other = "other",
    }
}

codes! {
    /// How fast it needs an answer; sets the SLA.
    #[derive(Default)]
    HelpUrgency {
        #[default]
        Normal = "normal",
        Urgent = "urgent",
        Sos = "sos",
    }
}

codes! {
    HelpStatus {
        Submitted = "submitted",
        Accepted = "accepted",
        InProgress = "in_progress",
        Resolved = "resolved",
        Closed = "closed",
        Rejected = "rejected",
        Cancelled = "cancelled",
        Reopened = "reopened",
    }
}

codes! {
    /// Which deadline ran: to accept the request, or to resolve it.
    HelpStep {
        Accept = "accept",
        Resolve = "resolve",
    }
}

codes! {
    /// Who handles it: the station, the street (街道), the district (区) or the city (市).
    HelpTier {
        Station = "station",
        Street = "street",
        District = "district",
        City = "city",
    }
}

codes! {
    /// What `POST /help-requests/{id}/transitions` can do.
    HelpAction {
        Accept = "accept",
        Start = "start",
        Resolve = "resolve",
        Reject = "reject",
        Escalate = "escalate",
        Cancel = "cancel",
        Reopen = "reopen",
    }
}

codes! {
    HelpEventKind {
        Submitted = "submitted",
        Accepted = "accepted",
        Started = "started",
        Resolved = "resolved",
        Rejected = "rejected",
        Cancelled = "cancelled",
        Reopened = "reopened",
        Escalated = "escalated",
        SlaBreached = "sla_breached",
        Feedback = "feedback",
        Closed = "closed",
    }
}

codes! {
    /// Who did something on the timeline; `system` is the SLA worker.
    HelpActorRole {
        Rider = "rider",
        Operator = "operator",
        Staff = "staff",
        Admin = "admin",
        System = "system",
    }
}

/// Not an action of `/transitions`: listed in `allowed_actions` when the caller may rate.
pub const FEEDBACK: &str = "feedback";

/// A rider may reopen a resolved request this long after its resolution, this many times.
pub const REOPEN_WINDOW_DAYS: i64 = 7;
pub const MAX_REOPENS: i32 = 1;

impl HelpCategory {
    /// Categories a station cannot handle: they start with the district.
    pub fn starts_at_district(self) -> bool {
        matches!(
            self,
            HelpCategory::WageArrears
                | HelpCategory::PlatformDispute
                | HelpCategory::LegalConsult
                | HelpCategory::Housing
                | HelpCategory::ChildrenEducation
                | HelpCategory::HazardReport
        )
    }
}

impl HelpTier {
    /// One tier up; the city is the top.
    pub fn up(self) -> Option<HelpTier> {
        match self {
            HelpTier::Station => Some(HelpTier::Street),
            HelpTier::Street => Some(HelpTier::District),
            HelpTier::District => Some(HelpTier::City),
            HelpTier::City => None,
        }
    }
}

impl HelpStatus {
    /// Waiting for a handler to take it (the accept deadline runs).
    pub fn awaits_accept(self) -> bool {
        matches!(self, HelpStatus::Submitted | HelpStatus::Reopened)
    }

    /// Being handled (the resolve deadline runs).
    pub fn in_handling(self) -> bool {
        matches!(self, HelpStatus::Accepted | HelpStatus::InProgress)
    }

    /// Still open: some deadline runs.
    pub fn is_open(self) -> bool {
        self.awaits_accept() || self.in_handling()
    }

    /// The stored codes of the open statuses, for SQL filters.
    pub fn open_codes() -> impl Iterator<Item = &'static str> {
        HelpStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
    }
}

impl HelpAction {
    /// Actions of the request's owner; the rest are handlers'.
    pub fn is_riders(self) -> bool {
        matches!(self, HelpAction::Cancel | HelpAction::Reopen)
    }

    /// The status an action leads to from `from`, if the state machine has that edge.
    /// Escalation keeps the status.
    pub fn next(self, from: HelpStatus) -> Option<HelpStatus> {
        use HelpStatus::*;
        match (self, from) {
            (HelpAction::Accept, Submitted) => Some(Accepted),
            (HelpAction::Start, Accepted | Reopened) => Some(InProgress),
            (HelpAction::Resolve, InProgress) => Some(Resolved),
            (HelpAction::Reject, Submitted | Reopened) => Some(Rejected),
            (HelpAction::Escalate, s) if s.is_open() => Some(s),
            (HelpAction::Cancel, s) if s.is_open() => Some(Cancelled),
            (HelpAction::Reopen, Resolved) => Some(Reopened),
            _ => None,
        }
    }

    pub fn event(self) -> HelpEventKind {
        match self {
            HelpAction::Accept => HelpEventKind::Accepted,
            HelpAction::Start => HelpEventKind::Started,
            HelpAction::Resolve => HelpEventKind::Resolved,
            HelpAction::Reject => HelpEventKind::Rejected,
            HelpAction::Escalate => HelpEventKind::Escalated,
            HelpAction::Cancel => HelpEventKind::Cancelled,
            HelpAction::Reopen => HelpEventKind::Reopened,
        }
    }
}

/// The caller as the state machine sees them, relative to one request they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Owner,
    Operator,
    StreetStaff,
    DistrictStaff,
    CityStaff,
    Admin,
    /// Sees it but has no part in it (e.g. a rider who is not the owner never gets here).
    Bystander,
}

impl Viewer {
    /// Whether this handler may act on a request at `tier`.
    pub fn handles(self, tier: HelpTier) -> bool {
        match self {
            Viewer::Operator => tier == HelpTier::Station,
            Viewer::StreetStaff => tier <= HelpTier::Street,
            Viewer::DistrictStaff => tier <= HelpTier::District,
            Viewer::CityStaff | Viewer::Admin => true,
            Viewer::Owner | Viewer::Bystander => false,
        }
    }

    pub fn is_handler(self) -> bool {
        !matches!(self, Viewer::Owner | Viewer::Bystander)
    }
}

/// What the rules need to know about a request.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    pub status: HelpStatus,
    pub tier: HelpTier,
    pub reopen_count: i32,
    pub resolved_at: Option<DateTime<Utc>>,
    pub rated: bool,
}

impl Snapshot {
    /// Until when the rider may still reopen, if they may.
    pub fn reopen_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.status != HelpStatus::Resolved || self.reopen_count >= MAX_REOPENS {
            return None;
        }
        let until = self.resolved_at? + Duration::days(REOPEN_WINDOW_DAYS);
        (now <= until).then_some(until)
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denial {
    /// Not possible from the current state (409).
    State(String),
    /// Possible, but not for this caller (403).
    Role(String),
}

/// Checks one action: the state first (409), then the caller (403). Returns the new status.
pub fn check(
    viewer: Viewer,
    s: &Snapshot,
    action: HelpAction,
    now: DateTime<Utc>,
) -> Result<HelpStatus, Denial> {
    let Some(next) = action.next(s.status) else {
        return Err(Denial::State(format!(
            "cannot {action} a request that is {}",
            s.status
        )));
    };
    match action {
        HelpAction::Escalate if s.tier.up().is_none() => {
            return Err(Denial::State(
                "the request is already with the city, the top tier".into(),
            ))
        }
        HelpAction::Reopen if s.reopen_count >= MAX_REOPENS => {
            return Err(Denial::State("a request can be reopened only once".into()))
        }
        HelpAction::Reopen if s.reopen_until(now).is_none() => {
            return Err(Denial::State(format!(
                "a request can be reopened only within {REOPEN_WINDOW_DAYS} days of its resolution"
            )))
        }
        _ => {}
    }
    if action.is_riders() {
        if viewer != Viewer::Owner {
            return Err(Denial::Role(format!(
                "only the rider who asked can {action}"
            )));
        }
    } else if !viewer.is_handler() {
        return Err(Denial::Role(format!("only a handler can {action}")));
    } else if !viewer.handles(s.tier) {
        return Err(Denial::Role(format!(
            "the request is with the {} tier now; you cannot {action} it",
            s.tier
        )));
    }
    Ok(next)
}

/// Every action (and `feedback`) the caller may take now, in a stable order.
pub fn allowed_actions(viewer: Viewer, s: &Snapshot, now: DateTime<Utc>) -> Vec<String> {
    let mut out: Vec<String> = HelpAction::ALL
        .iter()
        .filter(|a| check(viewer, s, **a, now).is_ok())
        .map(|a| a.as_str().to_string())
        .collect();
    if can_rate(viewer, s) {
        out.push(FEEDBACK.to_string());
    }
    out
}

/// Feedback: the owner, once, on a resolved request (which it closes).
pub fn can_rate(viewer: Viewer, s: &Snapshot) -> bool {
    viewer == Viewer::Owner && s.status == HelpStatus::Resolved && !s.rated
}

/// The SLA deadlines of one step, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub accept_minutes: i64,
    pub resolve_minutes: i64,
}

impl Windows {
    pub fn accept(&self) -> Duration {
        Duration::minutes(self.accept_minutes)
    }

    pub fn resolve(&self) -> Duration {
        Duration::minutes(self.resolve_minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(status: HelpStatus, tier: HelpTier) -> Snapshot {
        Snapshot {
            status,
            tier,
            reopen_count: 0,
            resolved_at: None,
            rated: false,
        }
    }

    #[test]
    fn codes_round_trip() {
        assert_eq!(HelpCategory::ALL.len(), 13);
        for c in HelpCategory::ALL {
            assert_eq!(HelpCategory::parse(c.as_str()), Some(*c));
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        for s in HelpStatus::ALL {
            assert_eq!(HelpStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(
            HelpStatus::parse("in_progress"),
            Some(HelpStatus::InProgress)
        );
        assert_eq!(HelpEventKind::SlaBreached.as_str(), "sla_breached");
        assert_eq!(HelpUrgency::parse("panic"), None);
    }

    #[test]
    fn the_happy_path_and_its_dead_ends() {
        use HelpAction::*;
        use HelpStatus::*;
        assert_eq!(Accept.next(Submitted), Some(Accepted));
        assert_eq!(Start.next(Accepted), Some(InProgress));
        assert_eq!(Resolve.next(InProgress), Some(Resolved));
        assert_eq!(Reopen.next(Resolved), Some(Reopened));
        assert_eq!(Start.next(Reopened), Some(InProgress));
        assert_eq!(Reject.next(Submitted), Some(Rejected));
        assert_eq!(Escalate.next(InProgress), Some(InProgress));
        assert_eq!(Cancel.next(Accepted), Some(Cancelled));
        // No skipping steps, nothing out of a terminal status.
        assert_eq!(Resolve.next(Submitted), None);
        assert_eq!(Resolve.next(Accepted), None);
        assert_eq!(Accept.next(Accepted), None);
        assert_eq!(Cancel.next(Resolved), None);
        for terminal in [Closed, Rejected, Cancelled] {
            for a in HelpAction::ALL {
                assert_eq!(a.next(terminal), None, "{a} from {terminal}");
            }
        }
    }

    #[test]
    fn handlers_act_up_to_their_tier() {
        use HelpTier::*;
        assert!(Viewer::Operator.handles(Station));
        assert!(!Viewer::Operator.handles(Street));
        assert!(Viewer::StreetStaff.handles(Station) && Viewer::StreetStaff.handles(Street));
        assert!(!Viewer::StreetStaff.handles(District));
        assert!(Viewer::DistrictStaff.handles(District) && !Viewer::DistrictStaff.handles(City));
        assert!(Viewer::CityStaff.handles(City) && Viewer::Admin.handles(City));
        assert!(!Viewer::Owner.handles(Station));
    }

    #[test]
    fn state_is_checked_before_role() {
        let now = Utc::now();
        let s = snap(HelpStatus::Closed, HelpTier::Station);
        assert!(matches!(
            check(Viewer::Owner, &s, HelpAction::Accept, now),
            Err(Denial::State(_))
        ));
        let s = snap(HelpStatus::Submitted, HelpTier::Station);
        assert!(matches!(
            check(Viewer::Owner, &s, HelpAction::Accept, now),
            Err(Denial::Role(_))
        ));
        assert!(matches!(
            check(Viewer::Operator, &s, HelpAction::Cancel, now),
            Err(Denial::Role(_))
        ));
        let up = snap(HelpStatus::Submitted, HelpTier::Street);
        assert!(matches!(
            check(Viewer::Operator, &up, HelpAction::Accept, now),
            Err(Denial::Role(_))
        ));
        assert_eq!(
            check(Viewer::StreetStaff, &up, HelpAction::Accept, now),
            Ok(HelpStatus::Accepted)
        );
        let top = snap(HelpStatus::Submitted, HelpTier::City);
        assert!(matches!(
            check(Viewer::Admin, &top, HelpAction::Escalate, now),
            Err(Denial::State(_))
        ));
    }

    #[test]
    fn reopen_once_within_seven_days() {
        let now = Utc::now();
        let mut s = snap(HelpStatus::Resolved, HelpTier::Station);
        s.resolved_at = Some(now - Duration::days(6));
        assert_eq!(
            check(Viewer::Owner, &s, HelpAction::Reopen, now),
            Ok(HelpStatus::Reopened)
        );
        assert_eq!(s.reopen_until(now), Some(now + Duration::days(1)));
        s.resolved_at = Some(now - Duration::days(8));
        assert!(matches!(
            check(Viewer::Owner, &s, HelpAction::Reopen, now),
            Err(Denial::State(_))
        ));
        assert_eq!(s.reopen_until(now), None);
        s.resolved_at = Some(now);
        s.reopen_count = 1;
        assert!(matches!(
            check(Viewer::Owner, &s, HelpAction::Reopen, now),
            Err(Denial::State(_))
        ));
    }

    #[test]
    fn allowed_actions_per_viewer() {
        let now = Utc::now();
        let s = snap(HelpStatus::Submitted, HelpTier::Station);
        assert_eq!(
            allowed_actions(Viewer::Operator, &s, now),
            ["accept", "reject", "escalate"]
        );
        assert_eq!(allowed_actions(Viewer::Owner, &s, now), ["cancel"]);
        assert!(allowed_actions(Viewer::Bystander, &s, now).is_empty());
        let mut done = snap(HelpStatus::Resolved, HelpTier::Street);
        done.resolved_at = Some(now);
        assert_eq!(
            allowed_actions(Viewer::Owner, &done, now),
            ["reopen", "feedback"]
        );
        assert!(allowed_actions(Viewer::Admin, &done, now).is_empty());
        let top = snap(HelpStatus::InProgress, HelpTier::City);
        assert_eq!(allowed_actions(Viewer::CityStaff, &top, now), ["resolve"]);
        assert!(allowed_actions(Viewer::DistrictStaff, &top, now).is_empty());
    }

    #[test]
    fn tiers_climb_to_the_city() {
        assert_eq!(HelpTier::Station.up(), Some(HelpTier::Street));
        assert_eq!(HelpTier::District.up(), Some(HelpTier::City));
        assert_eq!(HelpTier::City.up(), None);
        assert!(HelpCategory::WageArrears.starts_at_district());
        assert!(HelpCategory::HazardReport.starts_at_district());
        assert!(!HelpCategory::Medical.starts_at_district());
    }
}
