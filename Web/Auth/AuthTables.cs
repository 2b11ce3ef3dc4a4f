using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;
using NixFleet.Web.Security;

namespace NixFleet.Web.Auth;

/// <summary>
/// The sign-in tables, plain SQL beside the grain store so the CLI can change them while the dashboard runs.
/// Created idempotently by whoever opens them first (server or CLI).
/// </summary>
public static class AuthTables
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS auth_secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS auth_sessions (
            id_hash TEXT PRIMARY KEY,
            csrf_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            address TEXT,
            user_agent TEXT);
        CREATE INDEX IF NOT EXISTS auth_sessions_expires ON auth_sessions(expires_at);
        CREATE TABLE IF NOT EXISTS auth_totp_steps (
            secret_hash TEXT PRIMARY KEY,
            last_step INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS api_tokens (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            last_used_at INTEGER,
            revoked_at INTEGER);
        CREATE UNIQUE INDEX IF NOT EXISTS api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;
        """;

    private static readonly SqliteSchemaOnce Schema = new("PRAGMA journal_mode=WAL;" + Ddl);

    public static Task<SqliteConnection> OpenAsync(SqliteDatabase db, CancellationToken ct = default) => Schema.OpenAsync(db, ct);
}
