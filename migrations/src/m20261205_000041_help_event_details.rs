//! Timeline entries written by the system (a missed deadline, an automatic escalation) carry
//! what happened as data — which deadline (`step`, `due_at`) and from which tier — instead of
//! an English sentence, so each app shows them in its reader's language. Existing system
//! entries are converted: their step and tier are read from the old note, which is dropped.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HelpEvents {
    Table,
    ActorRole,
    Kind,
    Note,
    /// `accept` or `resolve`: the deadline an `sla_breached` entry is about.
    Step,
    /// That deadline.
    DueAt,
    /// Where an `escalated` entry came from (`tier` is where it went).
    FromTier,
}

fn columns() -> [ColumnDef; 3] {
    [
        ColumnDef::new(HelpEvents::Step)
            .string_len(16)
            .null()
            .to_owned(),
        ColumnDef::new(HelpEvents::DueAt)
            .timestamp_with_time_zone()
            .null()
            .to_owned(),
        ColumnDef::new(HelpEvents::FromTier)
            .string_len(16)
            .null()
            .to_owned(),
    ]
}

/// System entries of one kind whose old note starts with `prefix`.
fn system(kind: &str, prefix: &str) -> Condition {
    Condition::all()
        .add(Expr::col(HelpEvents::ActorRole).eq("system"))
        .add(Expr::col(HelpEvents::Kind).eq(kind))
        .add(Expr::col(HelpEvents::Note).like(format!("{prefix}%")))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for mut col in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpEvents::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        // The old notes: "accept deadline … passed", "escalated automatically from X to Y".
        for step in ["accept", "resolve"] {
            let update = Query::update()
                .table(HelpEvents::Table)
                .value(HelpEvents::Step, step)
                .cond_where(system("sla_breached", &format!("{step} deadline")))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        for tier in ["station", "street", "district"] {
            let update = Query::update()
                .table(HelpEvents::Table)
                .value(HelpEvents::FromTier, tier)
                .cond_where(system(
                    "escalated",
                    &format!("escalated automatically from {tier} "),
                ))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        let clear = Query::update()
            .table(HelpEvents::Table)
            .value(HelpEvents::Note, Option::<String>::None)
            .cond_where(
                Condition::all()
                    .add(Expr::col(HelpEvents::ActorRole).eq("system"))
                    .add(Expr::col(HelpEvents::Kind).is_in(["sla_breached", "escalated"])),
            )
            .to_owned();
        manager.exec_stmt(clear).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [HelpEvents::FromTier, HelpEvents::DueAt, HelpEvents::Step] {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpEvents::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
