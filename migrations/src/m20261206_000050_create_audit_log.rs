//! The audit log: staff/operator/admin reads of rider data and denied access (who, what,
//! when, outcome). Ids and codes only, never a personal value. Append-only is enforced by the
//! database itself (triggers), so not even the app can rewrite history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    ActorRole,
    Action,
    Method,
    Route,
    ObjectId,
    Outcome,
    Status,
}

const PG_TRIGGERS: &str = r#"
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"#;

const SQLITE_TRIGGERS: [&str; 2] = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(AuditLog::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // No foreign key: the record outlives the account, and a cascade would be
                    // a delete the triggers refuse.
                    .col(ColumnDef::new(AuditLog::ActorId).uuid().null())
                    .col(ColumnDef::new(AuditLog::ActorRole).string_len(16).null())
                    .col(ColumnDef::new(AuditLog::Action).string_len(48).not_null())
                    .col(ColumnDef::new(AuditLog::Method).string_len(8).not_null())
                    // The route template (`/api/v1/help-requests/{id}`), never the concrete path.
                    .col(ColumnDef::new(AuditLog::Route).string_len(160).not_null())
                    .col(ColumnDef::new(AuditLog::ObjectId).uuid().null())
                    .col(ColumnDef::new(AuditLog::Outcome).string_len(8).not_null())
                    .col(ColumnDef::new(AuditLog::Status).small_integer().not_null())
                    .to_owned(),
            )
            .await?;
        let indexes: [(&str, Vec<AuditLog>); 3] = [
            ("idx_audit_log_at", vec![AuditLog::At, AuditLog::Id]),
            (
                "idx_audit_log_actor_at",
                vec![AuditLog::ActorId, AuditLog::At],
            ),
            (
                "idx_audit_log_action_at",
                vec![AuditLog::Action, AuditLog::At],
            ),
        ];
        for (name, cols) in indexes {
            let mut index = Index::create();
            index.name(name).table(AuditLog::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_TRIGGERS).await?;
            }
            DbBackend::Sqlite => {
                for sql in SQLITE_TRIGGERS {
                    db.execute_unprepared(sql).await?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS audit_log_append_only()")
                .await?;
        }
        Ok(())
    }
}
