using NixFleet.Web.Auth;

namespace NixFleet.Web.Audit;

/// <summary>Fills who and from where for an audit entry from the current request.</summary>
public static class AuditHttpExtensions
{
    public static AuditEntry AuditEntry(this HttpContext context, string action, IReadOnlyList<string>? hosts = null, string? detail = null, bool success = true) =>
        new(action, context.User.OperatorName() ?? "anonymous", context.Connection.RemoteIpAddress?.ToString(),
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, hosts, detail, success);
}
