namespace NixFleet.Grains.Interfaces.Commands;

/// <summary>
/// What an operator (or API token, or rollout) asks for. <paramref name="Queue"/>: wait behind the
/// running command or for an offline host to return. <paramref name="Force"/>: send even though the
/// dashboard believes another command is in flight (the one it believed in becomes interrupted).
/// </summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-request")]
public sealed record CommandRequest(
    [property: Id(0)] string Op,
    [property: Id(1)] string RequestedBy,
    [property: Id(2)] IReadOnlyDictionary<string, string>? Args = null,
    [property: Id(3)] bool Queue = false,
    [property: Id(4)] bool Force = false,
    [property: Id(5)] string? RolloutId = null);

/// <summary>Accepted (<see cref="Command"/> set) or refused with a code and a message for people.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.submit-result")]
public sealed record SubmitResult(
    [property: Id(0)] CommandRecord? Command,
    [property: Id(1)] string? Code,
    [property: Id(2)] string? Message)
{
    public bool Accepted => Command is not null;

    public static SubmitResult Ok(CommandRecord c) => new(c, null, null);

    public static SubmitResult Refused(string code, string message) => new(null, code, message);
}

/// <summary>Outcome of stop / cancel: done, or why not (unknown_command_id, not_running, not_queued).</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-action-result")]
public sealed record CommandActionResult(
    [property: Id(0)] bool Done,
    [property: Id(1)] string? Code,
    [property: Id(2)] string? Message,
    [property: Id(3)] CommandRecord? Command);

/// <summary>A page of a host's commands, newest first; <see cref="Total"/> counts all that are kept.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-page")]
public sealed record CommandPage(
    [property: Id(0)] IReadOnlyList<CommandRecord> Items,
    [property: Id(1)] int Total);
