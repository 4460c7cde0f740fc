use sea_orm_migration::prelude::*;

use super::m20261122_000002_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rewards {
    Table,
    Id,
    Name,
    NameEn,
    Emoji,
    Cost,
    StationId,
    Stock,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RedemptionCodes {
    Table,
    Id,
    RiderId,
    CodeHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Redemptions {
    Table,
    Id,
    CodeId,
    RiderId,
    RewardId,
    StationId,
    OperatorId,
    Cost,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Stations {
    Table,
    Id,
}

const STAR_OPT_IN: &str = "star_opt_in";

fn created_at<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Rewards::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Rewards::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Rewards::Name).string_len(40).not_null())
                    .col(ColumnDef::new(Rewards::NameEn).string_len(80).null())
                    .col(ColumnDef::new(Rewards::Emoji).string_len(16).not_null())
                    // The app validates too; the checks keep a stray write from breaking the rules.
                    .col(
                        ColumnDef::new(Rewards::Cost)
                            .big_integer()
                            .not_null()
                            .check(Expr::col(Rewards::Cost).gt(0)),
                    )
                    // NULL: redeemable at any station.
                    .col(ColumnDef::new(Rewards::StationId).uuid().null())
                    // NULL: unlimited.
                    .col(
                        ColumnDef::new(Rewards::Stock)
                            .integer()
                            .null()
                            .check(Expr::col(Rewards::Stock).gte(0)),
                    )
                    .col(
                        ColumnDef::new(Rewards::Active)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(created_at(Rewards::CreatedAt))
                    .col(created_at(Rewards::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rewards_station")
                            .from(Rewards::Table, Rewards::StationId)
                            .to(Stations::Table, Stations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rewards_station")
                    .table(Rewards::Table)
                    .col(Rewards::StationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RedemptionCodes::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(RedemptionCodes::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RedemptionCodes::RiderId).uuid().not_null())
                    // Six digits are guessable offline, so only a keyed hash is stored. Not
                    // unique: old codes may repeat; the app keeps live ones apart.
                    .col(
                        ColumnDef::new(RedemptionCodes::CodeHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RedemptionCodes::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RedemptionCodes::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(created_at(RedemptionCodes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_redemption_codes_rider")
                            .from(RedemptionCodes::Table, RedemptionCodes::RiderId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_redemption_codes_hash")
                    .table(RedemptionCodes::Table)
                    .col(RedemptionCodes::CodeHash)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_redemption_codes_rider")
                    .table(RedemptionCodes::Table)
                    .col(RedemptionCodes::RiderId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Redemptions::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Redemptions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    // One code, one redemption: the last line of defence against double use.
                    .col(
                        ColumnDef::new(Redemptions::CodeId)
                            .uuid()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Redemptions::RiderId).uuid().not_null())
                    .col(ColumnDef::new(Redemptions::RewardId).uuid().not_null())
                    .col(ColumnDef::new(Redemptions::StationId).uuid().not_null())
                    // NULL once the operator's account is deleted; the redemption stays.
                    .col(ColumnDef::new(Redemptions::OperatorId).uuid().null())
                    .col(ColumnDef::new(Redemptions::Cost).big_integer().not_null())
                    .col(created_at(Redemptions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_redemptions_code")
                            .from(Redemptions::Table, Redemptions::CodeId)
                            .to(RedemptionCodes::Table, RedemptionCodes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_redemptions_rider")
                            .from(Redemptions::Table, Redemptions::RiderId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_redemptions_reward")
                            .from(Redemptions::Table, Redemptions::RewardId)
                            .to(Rewards::Table, Rewards::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_redemptions_station")
                            .from(Redemptions::Table, Redemptions::StationId)
                            .to(Stations::Table, Stations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_redemptions_operator")
                            .from(Redemptions::Table, Redemptions::OperatorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_redemptions_station_time", Redemptions::StationId),
            ("idx_redemptions_rider", Redemptions::RiderId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Redemptions::Table)
                        .col(col)
                        .col(Redemptions::CreatedAt)
                        .to_owned(),
                )
                .await?;
        }

        // Star riders (典型选树) are opt-in: nobody is shown unless they said yes.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Alias::new(STAR_OPT_IN))
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Alias::new(STAR_OPT_IN))
                    .to_owned(),
            )
            .await?;
        for table in [
            Redemptions::Table.into_iden(),
            RedemptionCodes::Table.into_iden(),
            Rewards::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
