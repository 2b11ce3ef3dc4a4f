using NixFleet.Agent.Configuration;

namespace NixFleet.Agent.Commands;

/// <summary>The programs each command runs, per platform (PROTOCOL.md's table). Always argv, never a shell string.</summary>
internal static class HostCommands
{
    public static string FlakeRef(string repoDir, string hostname) => $"{repoDir}#{hostname}";

    public static IReadOnlyList<string> Switch(HostKind kind, string repoDir, string hostname) => kind == HostKind.MacOS
        ? ["home-manager", "switch", "--flake", FlakeRef(repoDir, hostname)]
        : ["sudo", "nixos-rebuild", "switch", "--flake", FlakeRef(repoDir, hostname)];

    /// <summary>NixOS only; macOS activates the previous generation found by <see cref="PreviousHomeGeneration"/>.</summary>
    public static IReadOnlyList<string> RollbackNixOS() => ["sudo", "nixos-rebuild", "switch", "--rollback"];

    public static IReadOnlyList<string> ListHomeGenerations() => ["home-manager", "generations"];

    public static IReadOnlyList<string> ActivateHomeGeneration(string generationPath) => [Path.Combine(generationPath, "activate")];

    /// <summary>
    /// <c>home-manager generations</c> prints newest first: "2026-11-20 10:00 : id 42 -> /nix/store/…-home-manager-generation".
    /// The previous generation is the second line's path.
    /// </summary>
    public static string? PreviousHomeGeneration(string generationsOutput)
    {
        var paths = generationsOutput.Split('\n')
            .Select(l => l.Split(" -> ", 2))
            .Where(p => p.Length == 2 && p[1].Trim().StartsWith('/'))
            .Select(p => p[1].Trim())
            .ToList();
        return paths.Count >= 2 ? paths[1] : null;
    }

    public static IReadOnlyList<string> Reboot(HostKind kind) => kind == HostKind.MacOS
        ? ["sudo", "shutdown", "-r", "now"]
        : ["sudo", "reboot"];

    public static IReadOnlyList<string> FlakeUpdate() => ["nix", "flake", "update"];

    /// <summary>The store path the repo would build for this host, to compare with what is active.</summary>
    public static IReadOnlyList<string> EvalSystem(HostKind kind, string repoDir, string hostname) => kind == HostKind.MacOS
        ? ["nix", "eval", "--raw", $"{repoDir}#homeConfigurations.{hostname}.activationPackage.outPath"]
        : ["nix", "eval", "--raw", $"{repoDir}#nixosConfigurations.{hostname}.config.system.build.toplevel.outPath"];

    /// <summary>The link to what is active now.</summary>
    public static string ActiveSystemLink(HostKind kind, string home) => kind == HostKind.MacOS
        ? Path.Combine(home, ".local", "state", "nix", "profiles", "home-manager")
        : "/run/current-system";
}
