using NixFleet.Agent.Configuration;

namespace NixFleet.Agent.Facts;

/// <summary>OS facts for <c>register</c>: OS version and nixpkgs version, read from the machine.</summary>
internal static class HostFacts
{
    public static HostKind CurrentKind => OperatingSystem.IsMacOS() ? HostKind.MacOS : HostKind.NixOS;

    public static string HostType(HostKind kind) => kind == HostKind.MacOS ? "macos" : "nixos";

    public static string OsVersion(HostKind kind)
    {
        if (kind == HostKind.MacOS)
        {
            var r = ProcessRunner.Run("sw_vers", ["-productVersion"]);
            return r.Ok ? "macOS " + r.Stdout.Trim() : Environment.OSVersion.VersionString;
        }
        try
        {
            return ParseOsRelease(File.ReadAllText("/etc/os-release")) ?? Environment.OSVersion.VersionString;
        }
        catch (IOException) { return Environment.OSVersion.VersionString; }
    }

    /// <summary>PRETTY_NAME of /etc/os-release, else NAME VERSION_ID.</summary>
    public static string? ParseOsRelease(string text)
    {
        var values = text.Split('\n')
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim())
            .ToDictionary(g => g.Key, g => g.First()[1].Trim().Trim('"'));
        if (values.TryGetValue("PRETTY_NAME", out var pretty) && pretty.Length > 0) return pretty;
        if (values.TryGetValue("NAME", out var name)) return values.TryGetValue("VERSION_ID", out var v) ? $"{name} {v}" : name;
        return null;
    }

    /// <summary>The override, else <c>nixos-version</c> (first word), else empty.</summary>
    public static string NixpkgsVersion(AgentSettings settings)
    {
        if (settings.NixpkgsVersionOverride is { } v) return v;
        if (settings.Kind != HostKind.NixOS) return "";
        var r = ProcessRunner.Run("nixos-version", []);
        return r.Ok ? r.Stdout.Trim().Split(' ', 2)[0] : "";
    }
}
