//! Retention of help requests: an anonymised request loses its rider (`rider_id` becomes
//! nullable) and says when it was anonymised, so the job never touches it twice.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HelpRequests {
    Table,
    AnonymisedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // SQLite's table rebuild needs foreign keys off, which a transaction would ignore; it
    // opens its own after switching them off.
    fn use_transaction(&self) -> Option<bool> {
        Some(false)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rider_required(manager, false).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequests::Table)
                    .add_column(
                        ColumnDef::new(HelpRequests::AnonymisedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    /// Fails while anonymised rows exist: they have no rider to give back.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequests::Table)
                    .drop_column(HelpRequests::AnonymisedAt)
                    .to_owned(),
            )
            .await?;
        rider_required(manager, true).await
    }
}

async fn rider_required(manager: &SchemaManager<'_>, required: bool) -> Result<(), DbErr> {
    let conn = manager.get_connection();
    if manager.get_database_backend() != DbBackend::Sqlite {
        let change = if required { "SET" } else { "DROP" };
        let sql = format!("ALTER TABLE help_requests ALTER COLUMN rider_id {change} NOT NULL");
        return conn.execute_unprepared(&sql).await.map(|_| ());
    }
    // SQLite cannot change a column's NOT NULL: rebuild the table from its own stored
    // definition (so every column added since is kept), as SQLite's ALTER TABLE documentation
    // describes. Off, a DROP TABLE does not cascade into the timeline; SQLite uses one pooled
    // connection here, so the pragma holds for the statements below.
    conn.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    let rebuilt = rebuild(manager, required).await;
    conn.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    rebuilt
}

async fn rebuild(manager: &SchemaManager<'_>, required: bool) -> Result<(), DbErr> {
    let txn = manager.begin().await?;
    let conn = txn.get_connection();
    let schema = |sql: &str| Statement::from_string(DbBackend::Sqlite, sql.to_string());
    let table: String = conn
        .query_one_raw(schema(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'help_requests'",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("help_requests is missing".into()))?
        .try_get("", "sql")?;
    let Some(create) = with_rider(&table, required)? else {
        return txn.commit().await;
    };
    let indexes = conn
        .query_all_raw(schema(
            "SELECT sql FROM sqlite_master WHERE type = 'index' \
             AND tbl_name = 'help_requests' AND sql IS NOT NULL",
        ))
        .await?
        .into_iter()
        .map(|row| row.try_get::<String>("", "sql"))
        .collect::<Result<Vec<_>, _>>()?;
    conn.execute_unprepared(&create).await?;
    conn.execute_unprepared("INSERT INTO help_requests_new SELECT * FROM help_requests")
        .await?;
    conn.execute_unprepared("DROP TABLE help_requests").await?;
    conn.execute_unprepared("ALTER TABLE help_requests_new RENAME TO help_requests")
        .await?;
    for index in indexes {
        conn.execute_unprepared(&index).await?;
    }
    let broken = conn
        .query_all_raw(schema("PRAGMA foreign_key_check"))
        .await?;
    if !broken.is_empty() {
        return Err(DbErr::Migration(
            "help_requests rebuild broke foreign keys".into(),
        ));
    }
    txn.commit().await
}

/// `CREATE TABLE "help_requests" (… "rider_id" uuid_text NOT NULL, …)` → the same table
/// named `help_requests_new` with `rider_id` required or not; None if it already is.
fn with_rider(table: &str, required: bool) -> Result<Option<String>, DbErr> {
    let bad = || DbErr::Migration("unexpected help_requests definition".into());
    let open = table.find('(').ok_or_else(bad)?;
    let body = &table[open..];
    let col = body.find("\"rider_id\"").ok_or_else(bad)?;
    let end = col + body[col..].find(',').ok_or_else(bad)?;
    let def = body[col..end].trim_end();
    let def = match (def.contains(" NOT NULL"), required) {
        (true, true) | (false, false) => return Ok(None),
        (true, false) => def.replacen(" NOT NULL", "", 1),
        (false, true) => format!("{def} NOT NULL"),
    };
    Ok(Some(format!(
        "CREATE TABLE \"help_requests_new\" {}{def}{}",
        &body[..col],
        &body[end..]
    )))
}

#[cfg(test)]
mod tests {
    use super::with_rider;

    #[test]
    fn only_the_rider_column_changes() {
        let required = "CREATE TABLE \"help_requests\" ( \"id\" uuid_text NOT NULL PRIMARY KEY, \
                        \"rider_id\" uuid_text NOT NULL, \"category\" varchar(32) NOT NULL )";
        let optional = "CREATE TABLE \"help_requests_new\" ( \"id\" uuid_text NOT NULL \
                        PRIMARY KEY, \"rider_id\" uuid_text, \"category\" varchar(32) NOT NULL )";
        assert_eq!(
            with_rider(required, false).unwrap().as_deref(),
            Some(optional)
        );
        assert_eq!(with_rider(required, true).unwrap(), None);
        let back = with_rider(optional, true).unwrap().unwrap();
        assert_eq!(
            back,
            required.replace("\"help_requests\"", "\"help_requests_new\"")
        );
        assert_eq!(with_rider(optional, false).unwrap(), None);
        assert!(with_rider("CREATE TABLE x (\"id\" int)", false).is_err());
    }
}
