//! Command line: `serve` (default), `migrate`, `openapi`, `user add`, `seed demo`,
//! `import stations FILE`, `import lessons DIR`, `import holidays FILE`, `gen stations`.

use std::io::BufRead;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use uuid::Uuid;

use crate::auth::password::Password;
use crate::auth::phone::Phone;
use crate::auth::service::{create_user, NewUser};
use crate::auth::Role;
use crate::config::Settings;
use crate::startup::{self, Application};
use crate::{db, openapi, seed, telemetry};

#[derive(Parser)]
#[command(name = "warmnew", version, about = "暖新驿站 Warm-New Stations server")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API, PWA and docs (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load data sets.
    Seed {
        #[command(subcommand)]
        command: SeedCommand,
    },
    /// Import data from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Generate synthetic data for benchmarks.
    Gen {
        #[command(subcommand)]
        command: GenCommand,
    },
    /// Rebuild the dashboard's daily rollups for the last N days (after an import or a bulk
    /// load; the server keeps the last week current by itself).
    Rollup {
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=3660))]
        days: u32,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Upsert stations by external_id from a GeoJSON (.geojson/.json) or CSV (.csv) file; all
    /// or nothing. Prints the report; exits non-zero when any row is rejected.
    Stations { file: std::path::PathBuf },
    /// Upsert lessons from a directory of `<slug>.<locale>.md` files (front matter + Markdown);
    /// all or nothing. Prints a per-file report; exits non-zero when any file is rejected.
    Lessons { dir: std::path::PathBuf },
    /// Add or replace one year of China's statutory public holidays (`PH`) from a .toml or
    /// .json file shaped like `api/seed/holidays/cn-2026.toml`: year, source (the State
    /// Council notice) and the 13 days. Checked against the rules; exits non-zero if wrong.
    Holidays { file: std::path::PathBuf },
}

#[derive(Subcommand)]
enum GenCommand {
    /// Insert N synthetic stations inside Shanghai's box (the same ones for the same seed).
    Stations {
        #[arg(long)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from the first line of stdin.
    Add {
        #[arg(long)]
        role: String,
        #[arg(long)]
        phone: String,
        /// The operator's station.
        #[arg(long)]
        station: Option<Uuid>,
        /// The staff member's region code.
        #[arg(long)]
        region: Option<String>,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Give an account a new role and scope; its sessions end at once.
    Set {
        #[arg(long)]
        phone: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        station: Option<Uuid>,
        #[arg(long)]
        region: Option<String>,
    },
    /// Disable an account: its sessions end at once and it can no longer log in.
    Disable {
        #[arg(long)]
        phone: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[arg(long)]
        phone: String,
    },
}

#[derive(Subcommand)]
enum SeedCommand {
    /// Create the demo accounts and data, with `--days` of synthetic history for the
    /// dashboard (default: WARMNEW_DEMO_DAYS, 90).
    Demo {
        #[arg(long, value_parser = clap::value_parser!(u32).range(0..=366))]
        days: Option<u32>,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            print!("{}", openapi::to_json(&openapi::document()));
            Ok(())
        }
        Command::Serve => serve().await,
        Command::Migrate => {
            let settings = load()?;
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    role,
                    phone,
                    station,
                    region,
                    name,
                },
        } => {
            let settings = Settings {
                demo_data: false,
                ..load()?
            };
            let state = startup::prepare(settings).await?;
            let Some(role) = Role::parse(&role) else {
                bail!("--role must be rider, operator, staff or admin")
            };
            let phone =
                Phone::parse(&phone).map_err(|e| anyhow::anyhow!("--phone {}", e.message))?;
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password from stdin")?;
            let password =
                Password::parse(line.trim_end_matches(['\r', '\n']), Some(phone.as_str()))
                    .map_err(|e| anyhow::anyhow!("password {}", e.message))?;
            if role == Role::Operator && station.is_none() {
                bail!("an operator needs --station");
            }
            if role == Role::Staff && region.is_none() {
                bail!("staff need --region");
            }
            let display_name = if name.trim().is_empty() {
                phone.masked()
            } else {
                name
            };
            let new = NewUser {
                phone,
                password,
                display_name,
                role,
                station_id: station,
                region_code: region,
            };
            let user = create_user(&state, new)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            println!("created {} {}", role, user.id);
            Ok(())
        }
        Command::User { command } => account_change(command).await,
        Command::Rollup { days } => {
            let settings = Settings {
                demo_data: false,
                ..load()?
            };
            let state = startup::prepare(settings).await?;
            let started = std::time::Instant::now();
            let today = crate::service_logs::days::today(chrono::Utc::now());
            let from = today - chrono::Duration::days(i64::from(days) - 1);
            crate::analytics::rollup::rebuild_range(&state, from, today).await?;
            println!(
                "rebuilt {days} days of rollups in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Seed {
            command: SeedCommand::Demo { days },
        } => {
            let settings = Settings {
                demo_data: false,
                ..load()?
            };
            let state = startup::prepare(settings).await?;
            let days = days.unwrap_or(state.settings.demo_days);
            seed::demo::seed_with_history(&state, days)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            println!("demo data loaded");
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Stations { file },
        } => import_stations(&file).await,
        Command::Import {
            command: ImportCommand::Lessons { dir },
        } => import_lessons(&dir).await,
        Command::Import {
            command: ImportCommand::Holidays { file },
        } => import_holidays(&file).await,
        Command::Gen {
            command: GenCommand::Stations { count, seed },
        } => {
            let settings = Settings {
                demo_data: false,
                ..load()?
            };
            let state = startup::prepare(settings).await?;
            // A one-shot command needs no live index; its poller would only wait on the
            // write transaction (SQLite has one connection).
            state.stop_background();
            let started = std::time::Instant::now();
            let report = crate::stations::generate::generate(&state.db, count, seed).await?;
            println!(
                "inserted {} synthetic stations (seed {seed}; {} already there) in {:.1} s",
                report.inserted,
                report.skipped,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }
}

async fn import_stations(file: &std::path::Path) -> anyhow::Result<()> {
    use crate::stations::interchange::{self, Format, ImportOutcome};
    let Some(format) = Format::from_path(file) else {
        bail!("{}: use a .geojson, .json or .csv file", file.display());
    };
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let settings = Settings {
        demo_data: false,
        ..load()?
    };
    let state = startup::prepare(settings).await?;
    state.stop_background();
    let outcome = interchange::import(&state, format, &bytes)
        .await
        .map_err(|e| {
            let fields: Vec<String> = e
                .errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect();
            anyhow::anyhow!("{} {}", e.detail, fields.join("; "))
        })?;
    match outcome {
        ImportOutcome::Written(report) => {
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        ImportOutcome::Rejected(report) => {
            println!("{}", serde_json::to_string_pretty(&report)?);
            bail!(
                "{} row(s) rejected; nothing was written",
                report.rejected.len()
            )
        }
    }
}

async fn import_lessons(dir: &std::path::Path) -> anyhow::Result<()> {
    use crate::lessons::{source, store};
    let files = source::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    let settings = Settings {
        demo_data: false,
        ..load()?
    };
    let state = startup::prepare(settings).await?;
    state.stop_background();
    let report = store::import(&state.db, &files).await?;
    for e in &report.written {
        let change = match e.change {
            store::Change::Created => "created".to_string(),
            store::Change::Updated { version } => format!("updated to v{version}"),
            store::Change::Unchanged | store::Change::Kept => "unchanged".to_string(),
        };
        println!("{:<40} {change}", e.file);
    }
    for e in &report.errors {
        println!("error: {e}");
    }
    if !report.errors.is_empty() {
        bail!(
            "{} problem(s) in {} file(s); nothing was written",
            report.errors.len(),
            files.len()
        );
    }
    println!("{} lesson file(s) imported", report.written.len());
    Ok(())
}

async fn import_holidays(file: &std::path::Path) -> anyhow::Result<()> {
    use crate::holidays::domain::HolidayYear;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let year: HolidayYear = match file.extension().and_then(|e| e.to_str()) {
        Some("toml") => toml::from_str(&text).with_context(|| format!("{}", file.display()))?,
        Some("json") => {
            serde_json::from_str(&text).with_context(|| format!("{}", file.display()))?
        }
        _ => bail!("{}: use a .toml or .json file", file.display()),
    };
    let settings = Settings {
        demo_data: false,
        ..load()?
    };
    let state = startup::prepare(settings).await?;
    state.stop_background();
    let saved = crate::holidays::routes::import(&state, year)
        .await
        .map_err(|e| {
            let fields: Vec<String> = e
                .errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect();
            anyhow::anyhow!("{} {}", e.detail, fields.join("; "))
        })?;
    println!(
        "{}: {} public holidays imported ({})",
        saved.year,
        saved.days.len(),
        saved.source
    );
    Ok(())
}

fn load() -> anyhow::Result<Settings> {
    let settings = Settings::load()?;
    telemetry::init(&settings.log_format);
    Ok(settings)
}

async fn serve() -> anyhow::Result<()> {
    let settings = load()?;
    let production = settings.is_production();
    let demo = settings.demo_data;
    let state = startup::prepare(settings).await?;
    if let crate::cache::Cache::Redis(redis) = &state.cache {
        if !redis
            .wait_connected(std::time::Duration::from_secs(1))
            .await
        {
            tracing::warn!("redis not reachable at startup; serving degraded until it is");
        }
    }
    let app = Application::bind(state)?;
    let base = format!(
        "http://{}",
        app.state().settings.bind.replace("0.0.0.0", "127.0.0.1")
    );
    if !production && demo {
        println!("{}", seed::demo::banner(&base));
    }
    if !crate::pwa::is_built() {
        tracing::warn!("the PWA was not built into this binary; run: (cd pwa && npm ci && npm run build) && cargo build");
    }
    tracing::info!(port = app.port(), "listening");
    app.run_until_stopped().await?;
    Ok(())
}

/// `user set`, `user disable`, `user enable`.
async fn account_change(command: UserCommand) -> anyhow::Result<()> {
    use crate::auth::accounts::{self, Access};
    let settings = Settings {
        demo_data: false,
        ..load()?
    };
    let state = startup::prepare(settings).await?;
    let phone_of = |p: &str| Phone::parse(p).map_err(|e| anyhow::anyhow!("--phone {}", e.message));
    let fail = |e: crate::error::ApiError| anyhow::anyhow!("{}", e.detail);
    let (id, what) = match command {
        UserCommand::Set {
            phone,
            role,
            station,
            region,
        } => {
            let Some(role) = Role::parse(&role) else {
                bail!("--role must be rider, operator, staff or admin")
            };
            let access = Access {
                role,
                station_id: station,
                region_code: region,
            };
            let id = accounts::change_access(&state, &phone_of(&phone)?, access)
                .await
                .map_err(fail)?;
            (id, format!("is now {role}"))
        }
        UserCommand::Disable { phone } => {
            let id = accounts::set_disabled(&state, &phone_of(&phone)?, true)
                .await
                .map_err(fail)?;
            (id, "disabled".to_string())
        }
        UserCommand::Enable { phone } => {
            let id = accounts::set_disabled(&state, &phone_of(&phone)?, false)
                .await
                .map_err(fail)?;
            (id, "enabled".to_string())
        }
        UserCommand::Add { .. } => bail!("handled above"),
    };
    println!("{id} {what}; its sessions have ended");
    Ok(())
}
