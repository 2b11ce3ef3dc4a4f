namespace NixFleet.Protocol;

/// <summary>The only commands that ever reach an agent. Commands are names, never shell strings.</summary>
public static class AgentCommands
{
    public static readonly IReadOnlyList<string> All =
    [
        "pull", "switch", "pull-switch", "test", "update", "rollback", "stop",
        "restart", "reboot", "refresh-lock", "refresh-system", "refresh-all", "check-version",
    ];

    /// <summary>Accepted by an agent while another command runs.</summary>
    public static readonly IReadOnlyList<string> Interrupting = ["stop", "restart", "reboot"];

    public static bool IsKnown(string? command) => command is not null && All.Contains(command);
}
