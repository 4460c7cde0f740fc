use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Regions {
    Table,
    Code,
    Level,
    ParentCode,
    NameZh,
    NameEn,
    Lat,
    Lng,
    RadiusKm,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Regions::Code)
                            .string_len(12)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Regions::Level).string_len(16).not_null())
                    .col(ColumnDef::new(Regions::ParentCode).string_len(12).null())
                    .col(ColumnDef::new(Regions::NameZh).string_len(64).not_null())
                    .col(ColumnDef::new(Regions::NameEn).string_len(128).null())
                    .col(ColumnDef::new(Regions::Lat).double().null())
                    .col(ColumnDef::new(Regions::Lng).double().null())
                    .col(ColumnDef::new(Regions::RadiusKm).double().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_regions_parent")
                            .from(Regions::Table, Regions::ParentCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_regions_parent")
                    .table(Regions::Table)
                    .col(Regions::ParentCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Regions::Table).to_owned())
            .await
    }
}
