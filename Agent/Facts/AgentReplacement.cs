namespace NixFleet.Agent.Facts;

/// <summary>
/// Whether the service manager would now start another agent binary than the running one (NIXFLEET_AGENT_LINK),
/// so that after a switch the agent knows to exit and be replaced.
/// </summary>
internal static class AgentReplacement
{
    /// <summary>Why the agent should make way for the binary at <paramref name="link"/>, or null to keep running.</summary>
    public static string? Check(string link)
    {
        if (!File.Exists(link))
        {
            Log.Warn($"NIXFLEET_AGENT_LINK {link} leads to no file; keeping the running agent");
            return null;
        }
        string running, next;
        try { (running, next) = (RealPath.Of(Processes.SelfCommand.BinaryPath), RealPath.Of(link)); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Warn($"NIXFLEET_AGENT_LINK {link} cannot be resolved ({ex.Message}); keeping the running agent");
            return null;
        }
        var runningExists = File.Exists(running);
        return Decide(running, runningExists ? BinaryFacts.HashOf(running) : null, runningExists, link, next, BinaryFacts.HashOf(next));
    }

    /// <summary>
    /// Two Nix store paths are compared as packages: a Nix package starts through a wrapper in bin/ while the
    /// running file is the program under lib/, so their bytes differ although it is the same agent.
    /// Elsewhere the files' SHA-256 decide.
    /// </summary>
    public static string? Decide(string running, string? runningHash, bool runningExists, string link, string next, string? nextHash)
    {
        if (!runningExists) return $"the running binary {running} is gone; {link} leads to {next}";
        var (runningStore, nextStore) = (BinaryFacts.StorePathOf(running), BinaryFacts.StorePathOf(next));
        if (runningStore is not null && nextStore is not null)
            return runningStore == nextStore ? null : $"{link} now leads to {nextStore}; the running agent is {runningStore}";
        if (nextHash is null || runningHash is null) return null; // unreadable: no evidence of a new binary
        return nextHash == runningHash ? null
            : $"{link} now leads to {next} (SHA-256 {nextHash[..12]}…); the running binary {running} has SHA-256 {runningHash[..12]}…";
    }
}
