using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;
using NixFleet.Web.Auth;

namespace NixFleet.Web.Audit;

/// <summary>Hourly housekeeping: drops audit entries past NIXFLEET_AUDIT_RETENTION and sessions that ended.</summary>
public sealed class AuditPruner(NixFleetOptions options, SqliteDatabase db, SessionStore sessions, TimeProvider time, ILogger<AuditPruner> log)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    /// <summary>Deletes what is older than the retention; returns the number of audit entries removed.</summary>
    public async Task<int> PruneOnceAsync(CancellationToken ct = default)
    {
        var cutoff = (time.GetUtcNow() - options.AuditRetention).ToUnixTimeMilliseconds();
        await using var c = await AuditTables.OpenAsync(db, ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using var hosts = c.CreateCommand();
        hosts.CommandText = "DELETE FROM audit_hosts WHERE audit_id IN (SELECT id FROM audit_log WHERE at < @cutoff);";
        hosts.Parameters.AddWithValue("@cutoff", cutoff);
        await hosts.ExecuteNonQueryAsync(ct);
        await using var entries = c.CreateCommand();
        entries.CommandText = "DELETE FROM audit_log WHERE at < @cutoff;";
        entries.Parameters.AddWithValue("@cutoff", cutoff);
        var removed = await entries.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        await sessions.PruneAsync(ct);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                var removed = await PruneOnceAsync(stoppingToken);
                if (removed > 0) log.LogInformation("Audit retention removed {Count} entries older than {Retention}", removed, options.AuditRetention);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Audit retention run failed; retrying in {Period}", Period);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
