namespace NixFleet.Grains.Commands;

/// <summary>
/// Where grains report operator actions on commands (dispatch, stop, cancel, rollout start/pause/resume/cancel)
/// for the audit trail. The web's audit table implements it; <see cref="LoggingCommandAuditSink"/> is the default.
/// </summary>
public interface ICommandAuditSink
{
    Task RecordAsync(CommandAuditEvent e);
}

/// <param name="Action">command.dispatch, command.stop, command.cancel, rollout.start, rollout.pause, rollout.resume, rollout.cancel</param>
/// <param name="Actor">operator or API token name, as given in the request</param>
public sealed record CommandAuditEvent(
    string Action, string Actor, string? Host, string? CommandId, string? RolloutId, string Detail, DateTimeOffset At);
