using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;
using NixFleet.Web.Security;

namespace NixFleet.Web.Audit;

/// <summary>
/// The audit tables. Rows are never updated (a trigger refuses it); only the retention job deletes, oldest first.
/// Hosts sit in their own table so "everything done to host X" is an index lookup.
/// </summary>
public static class AuditTables
{
    private static readonly SqliteSchemaOnce Schema = new("""
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            address TEXT,
            user_agent TEXT,
            detail TEXT,
            success INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log(at);
        CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log(action, id);
        CREATE TABLE IF NOT EXISTS audit_hosts (
            audit_id INTEGER NOT NULL REFERENCES audit_log(id) ON DELETE CASCADE,
            host TEXT NOT NULL,
            PRIMARY KEY (host, audit_id));
        CREATE TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_hosts_append_only BEFORE UPDATE ON audit_hosts
        BEGIN SELECT RAISE(ABORT, 'audit_hosts is append-only'); END;
        """);

    public static Task<SqliteConnection> OpenAsync(SqliteDatabase db, CancellationToken ct = default) => Schema.OpenAsync(db, ct);
}
