namespace NixFleet.Grains.Interfaces.Hosts;

// What an agent reports about the command it runs, translated by the gateway from the wire messages.
// CommandId and Seq are null for agents without the command_id extension (the Go agent): such reports
// belong to the host's command in flight.

/// <summary>One line of output (<c>output</c>).</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.output-line")]
public sealed record OutputLine(
    [property: Id(0)] string? CommandId,
    [property: Id(1)] long? Seq,
    [property: Id(2)] string Stream,
    [property: Id(3)] string Text,
    [property: Id(4)] bool IsError,
    [property: Id(5)] string? Command,
    [property: Id(6)] DateTimeOffset ReceivedAt);

/// <summary>The command ended (<c>status</c>): ok, error, stopped or warning.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-status-report")]
public sealed record CommandStatusReport(
    [property: Id(0)] string? CommandId,
    [property: Id(1)] string? Command,
    [property: Id(2)] string Status,
    [property: Id(3)] int? ExitCode,
    [property: Id(4)] string? Message,
    [property: Id(5)] string? Generation);

/// <summary>The command's fresh check results after it ended (<c>command_complete</c>).</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-complete-report")]
public sealed record CommandCompleteReport(
    [property: Id(0)] string? CommandId,
    [property: Id(1)] string? Command,
    [property: Id(2)] int? ExitCode,
    [property: Id(3)] StatusCompartments? FreshStatus);

/// <summary>The agent refused a command (<c>command_rejected</c>), usually because another one runs.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-rejection")]
public sealed record CommandRejection(
    [property: Id(0)] string? CommandId,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? CurrentCommand,
    [property: Id(3)] int? CurrentPid);

/// <summary>Progress of a phase: <c>current</c> of <c>total</c>.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.phase-progress")]
public sealed record PhaseProgress(
    [property: Id(0)] int Current,
    [property: Id(1)] int Total,
    [property: Id(2)] string? Status);

/// <summary>Progress of a running command (<c>operation_progress</c> and <c>test_progress</c>).</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-progress")]
public sealed record CommandProgress(
    [property: Id(0)] PhaseProgress? Pull,
    [property: Id(1)] PhaseProgress? Lock,
    [property: Id(2)] PhaseProgress? System,
    [property: Id(3)] PhaseProgress? Tests,
    [property: Id(4)] int? TestsPassed,
    [property: Id(5)] string? TestRunning,
    [property: Id(6)] string? TestResult);
