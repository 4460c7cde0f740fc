//! Demo data, created when the database has no users yet: one account per role and about
//! 200 stations across Shanghai (the operator runs the first).

use sea_orm::{EntityTrait, PaginatorTrait};

use crate::auth::password::Password;
use crate::auth::phone::Phone;
use crate::auth::service::{create_user, NewUser};
use crate::auth::Role;
use crate::entity::user;
use crate::error::ApiError;
use crate::state::AppState;

/// Shared by every demo account; printed at dev startup, never valid in production seeds.
pub const DEMO_PASSWORD: &str = "nuanxin-demo-2026";

pub struct DemoAccount {
    pub role: Role,
    pub phone: &'static str,
    pub name: &'static str,
    pub region_code: Option<&'static str>,
}

pub const ACCOUNTS: [DemoAccount; 6] = [
    DemoAccount {
        role: Role::Rider,
        phone: "13800000001",
        name: "骑手小王",
        region_code: None,
    },
    DemoAccount {
        role: Role::Operator,
        phone: "13800000002",
        name: "驿站管理员老李",
        region_code: None,
    },
    // Jing'an district staff: sees the whole district once analytics arrive.
    DemoAccount {
        role: Role::Staff,
        phone: "13800000003",
        name: "静安区社工部张科",
        region_code: Some("310106"),
    },
    DemoAccount {
        role: Role::Admin,
        phone: "13800000004",
        name: "平台管理员",
        region_code: None,
    },
    // Two more riders, so the help queues are not all one person's.
    DemoAccount {
        role: Role::Rider,
        phone: "13800000005",
        name: "骑手小刘",
        region_code: None,
    },
    DemoAccount {
        role: Role::Rider,
        phone: "13800000006",
        name: "快递员阿强",
        region_code: None,
    },
];

/// Seeds demo data when there are no users. Returns whether anything was written.
pub async fn seed_if_empty(state: &AppState) -> Result<bool, ApiError> {
    if user::Entity::find().count(&state.db).await? > 0 {
        return Ok(false);
    }
    seed(state).await?;
    Ok(true)
}

/// Creates the demo accounts and stations that do not exist yet.
pub async fn seed(state: &AppState) -> Result<(), ApiError> {
    seed_with_history(state, state.settings.demo_days).await
}

/// As [`seed`], with `days` of synthetic history (check-ins, services, help, lessons).
pub async fn seed_with_history(state: &AppState, days: u32) -> Result<(), ApiError> {
    for account in &ACCOUNTS {
        let phone =
            Phone::parse(account.phone).map_err(|e| ApiError::internal("demo phone", e.message))?;
        let password = Password::parse(DEMO_PASSWORD, None)
            .map_err(|e| ApiError::internal("demo password", e.message))?;
        let new = NewUser {
            phone,
            password,
            display_name: account.name.to_string(),
            role: account.role,
            station_id: None,
            region_code: account.region_code.map(str::to_string),
        };
        match create_user(state, new).await {
            Ok(_) => {}
            Err(e) if e.code == crate::error::Code::PhoneTaken => {}
            Err(e) => return Err(e),
        }
    }
    tracing::info!("demo accounts created");
    super::stations::seed(state).await?;
    crate::help::demo::seed(state).await?;
    crate::lessons::demo::seed(state).await?;
    crate::points::demo::seed(state).await?;
    super::service_logs::seed(state).await?;
    super::history::seed(state, days).await?;
    Ok(())
}

/// The banner printed at dev startup so a person can log in straight away.
pub fn banner(base_url: &str) -> String {
    let stations = super::stations::COUNT;
    let mut out = format!("\n  暖新驿站 Warm-New Stations — {base_url}\n  API docs: {base_url}/docs\n  Demo data: {stations} stations across Shanghai's 16 districts\n\n  Demo accounts (password: {DEMO_PASSWORD}):\n");
    for a in &ACCOUNTS {
        out.push_str(&format!(
            "    {:<9} {}  {}\n",
            a.role.as_str(),
            a.phone,
            a.name
        ));
    }
    out
}
