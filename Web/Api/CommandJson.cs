using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Web.Api;

/// <summary>A command in the JSON API: its phase and the time of every phase it passed.</summary>
public sealed record CommandJson(
    string Id, string Host, string Command, IReadOnlyDictionary<string, string>? Args, string RequestedBy, string Phase,
    bool Ended, bool Force, string? RolloutId, DateTimeOffset QueuedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? DispatchedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, DateTimeOffset? WarnedAt, int? ExitCode, string? Message,
    string? GenerationBefore, string? GenerationAfter, long LastSeq)
{
    public static CommandJson From(CommandRecord c) => new(c.Id, c.Host, c.Op, c.Args, c.RequestedBy, c.Phase.Name(), c.Ended,
        c.Force, c.RolloutId, c.QueuedAt, c.ExpiresAt, c.DispatchedAt, c.StartedAt, c.EndedAt, c.WarnedAt, c.ExitCode, c.Message,
        c.GenerationBefore, c.GenerationAfter, c.LastSeq);
}

/// <summary>A page of a host's commands, newest first.</summary>
public sealed record CommandList(IReadOnlyList<CommandJson> Items, int Total, int Offset, int Limit);

/// <summary><c>POST /api/hosts/{id}/commands</c>. <c>totp_code</c> is needed for reboot when TOTP is configured.</summary>
public sealed record SubmitCommandBody(string? Command, Dictionary<string, string>? Args, bool Queue = false, bool Force = false, string? TotpCode = null);

/// <summary>One output line: ANSI codes as the agent sent them.</summary>
public sealed record OutputLineJson(long Seq, string Stream, bool IsError, string Text, DateTimeOffset At);

/// <summary><c>GET /api/commands/{id}/output?after=N</c>: pass <c>next_after</c> back to continue.</summary>
public sealed record OutputPage(string CommandId, IReadOnlyList<OutputLineJson> Lines, long NextAfter, bool More, bool Ended);
