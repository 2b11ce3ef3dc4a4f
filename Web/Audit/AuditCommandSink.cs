using NixFleet.Grains.Commands;

namespace NixFleet.Web.Audit;

/// <summary>The grains' command audit events (dispatch, stop, cancel, rollout steps) into the audit table.</summary>
public sealed class AuditCommandSink(IAuditLog audit) : ICommandAuditSink
{
    public Task RecordAsync(CommandAuditEvent e)
    {
        var detail = string.Join(' ', new[]
        {
            e.CommandId is null ? null : $"command={e.CommandId}",
            e.RolloutId is null ? null : $"rollout={e.RolloutId}",
            e.Detail,
        }.Where(s => !string.IsNullOrEmpty(s)));
        return audit.AppendAsync(new AuditEntry(e.Action, e.Actor, Hosts: e.Host is null ? null : [e.Host], Detail: detail));
    }
}
