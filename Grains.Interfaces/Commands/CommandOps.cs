namespace NixFleet.Grains.Interfaces.Commands;

/// <summary>
/// The allow-list of PROTOCOL.md, kept here because grains must not reference the wire project.
/// A test checks it equals Protocol's list, so the two cannot drift.
/// </summary>
public static class CommandOps
{
    public static readonly IReadOnlyList<string> All =
    [
        "pull", "switch", "pull-switch", "test", "update", "rollback", "stop",
        "restart", "reboot", "refresh-lock", "refresh-system", "refresh-all", "check-version",
    ];

    /// <summary>Accepted by an agent while another command runs, so they never wait in the queue.</summary>
    public static readonly IReadOnlyList<string> Interrupting = ["stop", "restart", "reboot"];

    /// <summary>Argument names each op documents. PROTOCOL.md documents none yet, so every op takes none.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> DocumentedArgs =
        All.ToDictionary(op => op, _ => (IReadOnlyList<string>)[]);

    /// <summary>Ops whose success is the agent coming back: the agent replaces or restarts itself.</summary>
    public static readonly IReadOnlyList<string> EndByReconnect = ["restart", "reboot"];

    /// <summary>Ops that activate a configuration: exit 0 may be followed by an agent restart.</summary>
    public static readonly IReadOnlyList<string> Switching = ["switch", "pull-switch"];

    public static bool IsKnown(string? op) => op is not null && All.Contains(op);

    public static bool IsInterrupting(string op) => Interrupting.Contains(op);
}
