using NixFleet.Agent.Configuration;

namespace NixFleet.Agent.Repo;

/// <summary>
/// Environment for every git the agent runs: never prompt, never walk above the repo, and with an SSH key use
/// exactly that key while still checking host keys against the user's known_hosts.
/// </summary>
internal static class GitEnvironment
{
    public static IReadOnlyDictionary<string, string> For(AgentSettings s)
    {
        var env = new Dictionary<string, string>
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(s.RepoDir.TrimEnd('/')) ?? "/",
        };
        if (s.SshKey is not null) env["GIT_SSH_COMMAND"] = SshCommand(s.SshKey, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        return env;
    }

    /// <summary>git runs GIT_SSH_COMMAND through sh, so paths are single-quoted.</summary>
    public static string SshCommand(string keyPath, string home) =>
        $"ssh -i {Quote(keyPath)} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes " +
        $"-o UserKnownHostsFile={Quote(Path.Combine(home, ".ssh", "known_hosts"))}";

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
