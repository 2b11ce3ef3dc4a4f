namespace NixFleet.Grains.Interfaces.Commands;

/// <summary>
/// Where a command is: queued → dispatched → running → an end. A queued command may also end
/// cancelled or expired without ever reaching the agent.
/// </summary>
public enum CommandPhase
{
    Queued,
    Dispatched,
    Running,
    Succeeded,
    Failed,
    Partial,
    Stopped,
    TimedOut,
    Interrupted,
    Cancelled,
    Expired,
}

public static class CommandPhases
{
    public static bool IsEnded(this CommandPhase p) => p >= CommandPhase.Succeeded;

    public static bool IsInFlight(this CommandPhase p) => p is CommandPhase.Dispatched or CommandPhase.Running;

    /// <summary>snake_case name as shown in the API and stored in state.</summary>
    public static string Name(this CommandPhase p) => p switch
    {
        CommandPhase.TimedOut => "timed_out",
        _ => p.ToString().ToLowerInvariant(),
    };
}
