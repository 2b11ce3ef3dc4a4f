namespace NixFleet.Agent.Commands;

/// <summary>
/// The command in flight, written to the state dir before each step starts, so an agent restarted mid-command
/// (a switch replacing the agent) can find the step, its output and its outcome.
/// </summary>
internal sealed record InFlightRecord(
    string? CommandId, string Command, string FileId, int StepPid, string OutputFile, string ExitFile,
    bool LastStep, DateTimeOffset StartedAt);
