use sea_orm_migration::prelude::*;

use super::m20261122_000002_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    Slug,
    Locale,
    Title,
    Summary,
    Category,
    Minutes,
    Cover,
    BodyMd,
    Points,
    PassMark,
    Published,
    Position,
    Version,
    QuizJson,
    ContentHash,
    Origin,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LessonAttempts {
    Table,
    Id,
    RiderId,
    Slug,
    Locale,
    Version,
    Score,
    Passed,
    AnswersJson,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    RiderId,
    Slug,
    BestScore,
    Passed,
    Attempts,
    PointsAwarded,
    FirstPassedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Lessons::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Lessons::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Lessons::Slug).string_len(60).not_null())
                    .col(ColumnDef::new(Lessons::Locale).string_len(8).not_null())
                    .col(ColumnDef::new(Lessons::Title).string_len(120).not_null())
                    .col(ColumnDef::new(Lessons::Summary).string_len(280).not_null())
                    .col(ColumnDef::new(Lessons::Category).string_len(32).not_null())
                    .col(ColumnDef::new(Lessons::Minutes).integer().not_null())
                    .col(ColumnDef::new(Lessons::Cover).string_len(32).not_null())
                    .col(ColumnDef::new(Lessons::BodyMd).text().not_null())
                    .col(ColumnDef::new(Lessons::Points).integer().not_null())
                    .col(ColumnDef::new(Lessons::PassMark).integer().not_null())
                    .col(ColumnDef::new(Lessons::Published).boolean().not_null())
                    // Sort key of the lesson list (front matter `order`), then slug.
                    .col(
                        ColumnDef::new(Lessons::Position)
                            .integer()
                            .not_null()
                            .default(100),
                    )
                    .col(ColumnDef::new(Lessons::Version).integer().not_null())
                    // Questions including the right answers: never sent to riders.
                    .col(ColumnDef::new(Lessons::QuizJson).text().not_null())
                    .col(
                        ColumnDef::new(Lessons::ContentHash)
                            .string_len(64)
                            .not_null(),
                    )
                    // builtin | import | admin: the embedded files only update their own rows.
                    .col(ColumnDef::new(Lessons::Origin).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Lessons::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Lessons::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_lessons_slug_locale")
                    .table(Lessons::Table)
                    .col(Lessons::Slug)
                    .col(Lessons::Locale)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LessonAttempts::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(LessonAttempts::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(LessonAttempts::RiderId).uuid().not_null())
                    .col(
                        ColumnDef::new(LessonAttempts::Slug)
                            .string_len(60)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LessonAttempts::Locale)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(ColumnDef::new(LessonAttempts::Version).integer().not_null())
                    .col(ColumnDef::new(LessonAttempts::Score).integer().not_null())
                    .col(ColumnDef::new(LessonAttempts::Passed).boolean().not_null())
                    .col(
                        ColumnDef::new(LessonAttempts::AnswersJson)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LessonAttempts::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lesson_attempts_rider")
                            .from(LessonAttempts::Table, LessonAttempts::RiderId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lesson_attempts_rider")
                    .table(LessonAttempts::Table)
                    .col(LessonAttempts::RiderId)
                    .col(LessonAttempts::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LessonProgress::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(LessonProgress::RiderId).uuid().not_null())
                    .col(
                        ColumnDef::new(LessonProgress::Slug)
                            .string_len(60)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LessonProgress::BestScore)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(LessonProgress::Passed).boolean().not_null())
                    .col(
                        ColumnDef::new(LessonProgress::Attempts)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LessonProgress::PointsAwarded)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LessonProgress::FirstPassedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(LessonProgress::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(LessonProgress::RiderId)
                            .col(LessonProgress::Slug),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lesson_progress_rider")
                            .from(LessonProgress::Table, LessonProgress::RiderId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LessonProgress::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LessonAttempts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Lessons::Table).to_owned())
            .await
    }
}
