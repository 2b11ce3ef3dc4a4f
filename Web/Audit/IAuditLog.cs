namespace NixFleet.Web.Audit;

/// <summary>The append-only audit trail. Build entries from a request with <see cref="AuditHttpExtensions.AuditEntry"/>.</summary>
public interface IAuditLog
{
    Task<long> AppendAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>Newest first; <paramref name="before"/> is the id to continue below (the previous page's last id).</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditFilter filter, long? before, int limit, CancellationToken ct = default);

    Task<IReadOnlyList<AuditRecord>> QueryAsync(string? host, string? action, long? before, int limit, CancellationToken ct = default) =>
        QueryAsync(new AuditFilter(host, action), before, limit, ct);
}

/// <summary>Which entries: each given part must match exactly (null: any).</summary>
public sealed record AuditFilter(string? Host = null, string? Action = null, string? Actor = null);
