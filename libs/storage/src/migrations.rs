//! Embedded migrations, one directory per backend, applied (or only verified) at start-up.
//!
//! A database can hold several sets (the events library's outbox tables beside the service's
//! own); they share sqlx's bookkeeping table, so their version numbers must not collide: the
//! libraries use small numbers, services use timestamps (`20261127000001_create_accounts.sql`).

use serde::Deserialize;
use sqlx::migrate::{Migrate, Migrator};

use crate::{Backend, Database, StorageError};

/// Whether start-up applies pending migrations or refuses to start without them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationMode {
    /// Apply pending migrations (the default; fine for a single replica or the all-in-one).
    #[default]
    Apply,
    /// Only check every migration is applied, unchanged; for replicas started after a
    /// migration job has run.
    Verify,
}

/// One named set of migrations, embedded for each backend with `sqlx::migrate!`.
#[derive(Debug)]
pub struct MigrationSet {
    pub name: &'static str,
    pub postgres: Migrator,
    pub sqlite: Migrator,
}

impl MigrationSet {
    fn for_backend(&self, backend: Backend) -> &Migrator {
        match backend {
            Backend::Postgres => &self.postgres,
            Backend::Sqlite => &self.sqlite,
        }
    }
}

impl Database {
    /// Applies or verifies each set, in order.
    pub async fn migrate(
        &self,
        sets: &[&MigrationSet],
        mode: MigrationMode,
    ) -> Result<(), StorageError> {
        for set in sets {
            let mut migrator = Migrator {
                migrations: set.for_backend(self.backend()).migrations.clone(),
                ..Migrator::DEFAULT
            };
            // Other sets' versions live in the same table.
            migrator.set_ignore_missing(true);
            match mode {
                MigrationMode::Apply => migrator.run(self.pool()).await?,
                MigrationMode::Verify => verify(self, set.name, &migrator).await?,
            }
            tracing::debug!(set = set.name, ?mode, "migrations ready");
        }
        Ok(())
    }
}

async fn verify(
    db: &Database,
    name: &'static str,
    migrator: &Migrator,
) -> Result<(), StorageError> {
    let mut conn = db.pool().acquire().await?;
    conn.ensure_migrations_table("_sqlx_migrations").await?;
    let applied = conn.list_applied_migrations("_sqlx_migrations").await?;
    for migration in migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
    {
        match applied.iter().find(|a| a.version == migration.version) {
            None => {
                return Err(StorageError::MigrationMissing {
                    set: name,
                    version: migration.version,
                    description: migration.description.to_string(),
                });
            }
            Some(a) if a.checksum != migration.checksum => {
                return Err(StorageError::MigrationChanged {
                    set: name,
                    version: migration.version,
                });
            }
            Some(_) => {}
        }
    }
    Ok(())
}
