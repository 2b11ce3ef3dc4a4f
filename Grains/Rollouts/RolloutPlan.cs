using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Grains.Rollouts;

/// <summary>Checks a rollout request and splits its hosts into waves.</summary>
public static class RolloutPlan
{
    /// <summary>Null when valid, else why not.</summary>
    public static string? Problem(RolloutSpec s)
    {
        if (!CommandOps.IsKnown(s.Op)) return $"'{s.Op}' is not a command; allowed: {string.Join(", ", CommandOps.All)}.";
        if (s.Hosts.Count == 0) return "no hosts given.";
        if (s.Hosts.Distinct(StringComparer.Ordinal).Count() != s.Hosts.Count) return "a host is listed twice.";
        if (s.BatchPercent is { } p && p is < 1 or > 100) return "batch percent must be from 1 to 100.";
        if (s.BatchPercent is null && s.BatchSize < 1) return "batch size must be at least 1.";
        if (s.MaxFailures < 0) return "max_failures cannot be negative.";
        if (s.WaitBetweenSeconds < 0) return "wait_between_s cannot be negative.";
        return null;
    }

    /// <summary>The wave of each host, in the order given: a canary wave of one, then batches.</summary>
    public static List<RolloutHost> Waves(RolloutSpec s)
    {
        var size = s.BatchPercent is { } p ? Math.Max(1, (int)Math.Ceiling(s.Hosts.Count * p / 100.0)) : s.BatchSize;
        var hosts = new List<RolloutHost>(s.Hosts.Count);
        var offset = s.Canary && s.Hosts.Count > 1 ? 1 : 0;
        for (var i = 0; i < s.Hosts.Count; i++)
        {
            var wave = offset == 1 && i == 0 ? 0 : offset + (i - offset) / size;
            hosts.Add(new RolloutHost(s.Hosts[i], wave, RolloutHost.Pending, null, null));
        }
        return hosts;
    }

    /// <summary>A host that neither succeeded nor is still going counts against max_failures.</summary>
    public static bool IsFailure(RolloutHost h) =>
        h.Phase is not (RolloutHost.Pending or RolloutHost.Skipped or "succeeded" or "queued" or "dispatched" or "running");

    public static bool IsOpen(RolloutHost h) => h.Phase is "queued" or "dispatched" or "running";
}
