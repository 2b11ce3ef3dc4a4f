using System.Security.Cryptography;
using System.Text.Json;
using NixFleet.Protocol;

namespace NixFleet.Agent.Status;

/// <summary>flake.lock: its hash (reported as <c>lock_hash</c>) and how old the locked nixpkgs is.</summary>
internal static class LockCheck
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    public static (string? Hash, CheckStatus Status) Check(string repoDir, DateTimeOffset now)
    {
        var path = Path.Combine(repoDir, "flake.lock");
        if (!File.Exists(path)) return (null, StatusBoard.Make("unknown", "no flake.lock in the repo"));
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException ex) { return (null, StatusBoard.Make("error", "cannot read flake.lock: " + ex.Message)); }
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var modified = NixpkgsLastModified(bytes);
        if (modified is null) return (hash, StatusBoard.Make("ok", "flake.lock " + hash[..12]));
        var age = now - modified.Value;
        var days = (int)Math.Max(0, age.TotalDays);
        return (hash, StatusBoard.Make(age > MaxAge ? "outdated" : "ok", $"nixpkgs locked {days} days ago"));
    }

    /// <summary>nodes.nixpkgs.locked.lastModified (unix seconds), when the lock has it.</summary>
    public static DateTimeOffset? NixpkgsLastModified(byte[] lockJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(lockJson);
            if (doc.RootElement.TryGetProperty("nodes", out var nodes) && nodes.TryGetProperty("nixpkgs", out var np)
                && np.TryGetProperty("locked", out var locked) && locked.TryGetProperty("lastModified", out var lm)
                && lm.TryGetInt64(out var secs))
                return DateTimeOffset.FromUnixTimeSeconds(secs);
        }
        catch (JsonException) { }
        return null;
    }
}
