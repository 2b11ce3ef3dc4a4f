using Microsoft.Extensions.Logging;

namespace NixFleet.Grains.Commands;

/// <summary>Audit events as structured log lines, until the web registers its audit table in its place.</summary>
public sealed partial class LoggingCommandAuditSink(ILogger<LoggingCommandAuditSink> logger) : ICommandAuditSink
{
    public Task RecordAsync(CommandAuditEvent e)
    {
        Log(e.Action, e.Actor, e.Host, e.CommandId, e.RolloutId, e.Detail);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "audit {Action} by {Actor}: host={Host} command={CommandId} rollout={RolloutId} {Detail}")]
    private partial void Log(string action, string actor, string? host, string? commandId, string? rolloutId, string detail);
}
