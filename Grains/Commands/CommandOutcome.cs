using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Commands;

/// <summary>How a command ended, from what the agent reported.</summary>
public readonly record struct Verdict(CommandPhase Phase, string Message);

public static class CommandOutcome
{
    /// <param name="stopEndsAs">Set when a stop was asked: a command that then ends stopped or killed ends as this.</param>
    public static Verdict FromStatus(string status, int? exitCode, string? message, CommandPhase? stopEndsAs)
    {
        var detail = string.IsNullOrWhiteSpace(message) ? "" : $": {message}";
        var ok = status is "ok" or "warning" && exitCode is 0 or null;
        if (stopEndsAs is { } stop && !ok)
            return new(stop, stop == CommandPhase.TimedOut ? $"stopped at the hard time limit{detail}" : $"stopped (exit {exitCode}){detail}");
        return status switch
        {
            "ok" when ok => new(CommandPhase.Succeeded, $"exit 0{detail}"),
            "warning" when ok => new(CommandPhase.Partial, $"finished with warnings{detail}"),
            "stopped" => new(CommandPhase.Stopped, $"stopped on the host (exit {exitCode}){detail}"),
            "ok" or "warning" => new(CommandPhase.Failed, $"exit {exitCode}{detail}"),
            "error" => new(CommandPhase.Failed, $"exit {exitCode?.ToString() ?? "unknown"}{detail}"),
            _ => new(CommandPhase.Failed, $"unknown status '{status}' (exit {exitCode}){detail}"),
        };
    }

    /// <summary>
    /// A pull that exited 0 succeeded when the host is at the remote head. The agent's git check says so:
    /// <c>ok</c> = local commit equals the remote branch head, <c>outdated</c> = the remote has moved past it.
    /// </summary>
    public static Verdict ForPull(string? before, string? after, Compartment git) => git.Status switch
    {
        "ok" => new(CommandPhase.Succeeded, $"at the remote head ({after})"),
        "outdated" when before == after => new(CommandPhase.Partial, $"exit 0 but the generation stayed {after} while the remote moved{Note(git)}"),
        "outdated" => new(CommandPhase.Partial, $"moved {before} → {after} but still behind the remote{Note(git)}"),
        "error" => new(CommandPhase.Partial, $"exit 0 but the git check failed{Note(git)}"),
        _ => new(CommandPhase.Succeeded, $"exit 0, generation {after}; the agent did not report the remote head"),
    };

    private static string Note(Compartment c) => string.IsNullOrWhiteSpace(c.Message) ? "" : $" ({c.Message})";
}
