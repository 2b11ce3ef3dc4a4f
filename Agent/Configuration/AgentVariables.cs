namespace NixFleet.Agent.Configuration;

/// <summary>Every variable the agent reads, for <c>--help</c>. Same names as the Go agent, plus a few of ours.</summary>
internal static class AgentVariables
{
    public sealed record Variable(string Name, string Default, string Meaning);

    public static readonly IReadOnlyList<Variable> All =
    [
        new("NIXFLEET_URL", "required", "dashboard URL: wss://host/ws (http(s):// and a bare host also work; /ws is added when no path is given)"),
        new("NIXFLEET_TOKEN", "required*", "agent token, sent as Authorization: Bearer"),
        new("NIXFLEET_TOKEN_FILE", "none", "file holding the token (*either this or NIXFLEET_TOKEN)"),
        new("NIXFLEET_REPO_URL", "none", "git URL of the config repo: the agent then owns its own clone (isolated mode)"),
        new("NIXFLEET_REPO_DIR", "$NIXFLEET_STATE_DIR/repo with a repo URL, else required", "the config repo checkout"),
        new("NIXFLEET_BRANCH", "main", "branch to pull"),
        new("NIXFLEET_SSH_KEY", "none", "SSH private key for git; host keys are checked against ~/.ssh/known_hosts"),
        new("NIXFLEET_HOSTNAME", "the machine's short host name", "name this host registers as (flake attribute too)"),
        new("NIXFLEET_INTERVAL", "30", "heartbeat interval in seconds (1-3600)"),
        new("NIXFLEET_LOG_LEVEL", "info", "debug, info, warn or error"),
        new("NIXFLEET_THEME_COLOR", "#7aa2f7 (NixOS) / #bb9af7 (macOS)", "host colour on the dashboard, #rrggbb"),
        new("NIXFLEET_LOCATION", "home", "home, work or cloud"),
        new("NIXFLEET_DEVICE_TYPE", "server (NixOS) / desktop (macOS)", "server, desktop, laptop or gaming"),
        new("NIXFLEET_STATE_DIR", "/var/lib/nixfleet-agent as root, else $XDG_STATE_HOME/nixfleet-agent", "command output and the command in flight, kept across restarts"),
        new("NIXFLEET_NIXPKGS_VERSION", "from nixos-version", "nixpkgs version to report"),
        new("NIXFLEET_RECONNECT_MAX", "60", "longest wait in seconds between reconnect attempts (1-3600); waits start at 1 s and double, plus jitter"),
        new("NIXFLEET_OUTPUT_BUFFER", "10000", "output lines kept until the dashboard acknowledges them (100-1000000)"),
        new("NIXFLEET_AGENT_LINK", "none", "absolute path the service manager starts the agent from next time; after a successful switch or rollback that put another binary there, the agent reports, then exits 0 for the service manager to start the new one"),
    ];
}
