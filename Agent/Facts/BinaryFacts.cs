using System.Reflection;
using System.Security.Cryptography;
using NixFleet.Agent.Processes;

namespace NixFleet.Agent.Facts;

/// <summary>What identifies the running agent binary: version, source commit, path, store path, SHA-256.</summary>
internal sealed record BinaryFacts(string Version, string? SourceCommit, string Path, string? StorePath, string? Hash)
{
    public static string AgentVersion { get; } = ReadVersion().Version;

    /// <summary>Read again on every call: after a switch the same path may hold another binary.</summary>
    public static BinaryFacts Read()
    {
        var (version, commit) = ReadVersion();
        var path = SelfCommand.BinaryPath;
        return new BinaryFacts(version, commit, path, StorePathOf(path), HashOf(path));
    }

    public static string? StorePathOf(string path)
    {
        if (!path.StartsWith("/nix/store/", StringComparison.Ordinal)) return null;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 ? "/" + string.Join('/', parts.Take(3)) : null;
    }

    public static string? HashOf(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(f));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    private static (string Version, string? Commit) ReadVersion()
    {
        var info = typeof(BinaryFacts).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = info.IndexOf('+');
        return plus < 0 ? (info, null) : (info[..plus], info[(plus + 1)..]);
    }
}
