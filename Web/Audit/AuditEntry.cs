namespace NixFleet.Web.Audit;

/// <summary>
/// One audited act: who (operator or token name), what (action, e.g. <c>login</c>, <c>command.dispatch</c>), on which
/// hosts, from where, and whether it succeeded. The time is the log's, set when appended.
/// </summary>
public sealed record AuditEntry(
    string Action,
    string Actor,
    string? Address = null,
    string? UserAgent = null,
    IReadOnlyList<string>? Hosts = null,
    string? Detail = null,
    bool Success = true);

/// <summary>An entry as stored, with its id (the paging cursor) and time.</summary>
public sealed record AuditRecord(
    long Id,
    DateTimeOffset At,
    string Action,
    string Actor,
    string? Address,
    string? UserAgent,
    IReadOnlyList<string> Hosts,
    string? Detail,
    bool Success);
