//! Versioned schema migrations, the same for SQLite and PostgreSQL: the SQL
//! is written once, with `{id}` (an auto-increment primary key) and `{blob}`
//! (a byte string) filled in for each dialect. Migration `n` takes the
//! store from version `n` to `n + 1`; `phiguard_schema.version` records where
//! a store is. Never edit a released migration: add one.

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Every migration, oldest first.
pub const MIGRATIONS: &[&str] = &[
    // 1: scans, their findings, CVE episodes.
    "CREATE TABLE scans (
        id {id},
        time BIGINT NOT NULL,
        command TEXT NOT NULL,
        scope TEXT NOT NULL,
        inputs TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        pass BIGINT NOT NULL,
        fail BIGINT NOT NULL,
        unknown BIGINT NOT NULL,
        waived BIGINT NOT NULL
    );
    CREATE INDEX scans_scope ON scans (scope, id);
    CREATE TABLE findings (
        scan_id BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        resource TEXT NOT NULL,
        outcome TEXT NOT NULL,
        severity TEXT NOT NULL,
        location TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX findings_scan ON findings (scan_id);
    CREATE TABLE cve (
        target TEXT NOT NULL,
        vulnerability TEXT NOT NULL,
        package TEXT NOT NULL,
        severity TEXT NOT NULL,
        first_seen BIGINT NOT NULL,
        last_seen BIGINT NOT NULL,
        closed_at BIGINT
    );
    CREATE UNIQUE INDEX cve_open ON cve (target, vulnerability, package) WHERE closed_at IS NULL;",
    // 2: the compressed JSON report of each scan, and what has been failing
    // since when in each scope (filled from the history already kept: the
    // first scan of each failure's unbroken run up to its scope's last scan).
    "ALTER TABLE scans ADD COLUMN report {blob};
    CREATE TABLE failing (
        scope TEXT NOT NULL,
        rule TEXT NOT NULL,
        resource TEXT NOT NULL,
        since BIGINT NOT NULL,
        PRIMARY KEY (scope, rule, resource)
    );
    INSERT INTO failing (scope, rule, resource, since)
    SELECT s.scope, f.rule, f.resource, MIN(s.time)
    FROM findings f JOIN scans s ON s.id = f.scan_id
    WHERE f.outcome = 'fail'
      AND NOT EXISTS (
        SELECT 1 FROM scans s2
        WHERE s2.scope = s.scope AND s2.id > s.id
          AND NOT EXISTS (
            SELECT 1 FROM findings f2
            WHERE f2.scan_id = s2.id AND f2.rule = f.rule
              AND f2.resource = f.resource AND f2.outcome = 'fail'))
    GROUP BY s.scope, f.rule, f.resource;",
];

/// The SQL of migration `index` (0-based) for SQLite or PostgreSQL.
pub fn migration_sql(index: usize, postgres: bool) -> String {
    let (id, blob) = if postgres {
        ("BIGSERIAL PRIMARY KEY", "BYTEA")
    } else {
        ("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB")
    };
    MIGRATIONS[index]
        .replace("{id}", id)
        .replace("{blob}", blob)
}

/// Creates the version table: the first statement on a new store.
pub(crate) const VERSION_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS phiguard_schema (version BIGINT NOT NULL)";
