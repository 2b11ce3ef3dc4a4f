using System.Text.Json;
using System.Text.RegularExpressions;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Ship;

/// <summary>The flake and the nix/ files: they parse, the flake exports what operators import, the lock is whole.</summary>
public sealed partial class NixFilesTests : IDisposable
{
    private static readonly string[] Systems = ["aarch64-darwin", "aarch64-linux", "x86_64-darwin", "x86_64-linux"];
    private readonly TempDir _dir = new();

    private static Tool.Result Parse(string file) =>
        Tool.Run("nix-instantiate", ["--readonly-mode", "--parse", file]);

    [Fact]
    public void Every_nix_file_parses()
    {
        var files = RepoFiles.WithExtension(".nix");
        foreach (var expected in new[] { "flake.nix", "nix/nixos-agent.nix", "nix/home-agent.nix", "nix/nixos-dashboard.nix",
                     "nix/overlay.nix", "nix/package-agent.nix", "nix/package-dashboard.nix" })
            Assert.Contains(expected, files);

        var failures = files.Select(f => (File: f, Result: Parse(f)))
            .Where(r => r.Result.ExitCode != 0)
            .Select(r => $"{r.File}: {r.Result.Stderr.Trim()}")
            .ToList();
        Assert.Empty(failures);
    }

    [Fact]
    public void A_syntax_error_fails_the_parse_check()
    {
        var broken = _dir.File("broken.nix");
        File.WriteAllText(broken, "{ lib }: { a = ; }\n");
        var result = Parse(broken);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("syntax error", result.Stderr);
    }

    /// <summary>
    /// Evaluates the flake's outputs function against a stand-in nixpkgs whose callPackage records which file it
    /// was given: the wiring (systems, names, files) is checked without fetching nixpkgs.
    /// </summary>
    [Fact]
    public void Flake_exports_both_packages_for_four_systems_the_modules_and_an_overlay()
    {
        var harness = _dir.File("flake-outputs.nix");
        File.WriteAllText(harness, $$"""
            let
              genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
              systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" "riscv64-linux" ];
              nixpkgs = {
                lib = { inherit genAttrs; };
                legacyPackages = genAttrs systems (system: { callPackage = path: _: baseNameOf (toString path); });
              };
              flake = import {{RepoFiles.Path("flake.nix")}};
              outputs = flake.outputs { self = outputs; inherit nixpkgs; };
            in {
              packages = outputs.packages;
              nixosModules = builtins.mapAttrs (_: m: builtins.isFunction m) outputs.nixosModules;
              homeManagerModules = builtins.mapAttrs (_: m: builtins.isFunction m) outputs.homeManagerModules;
              overlay = outputs.overlays.default { callPackage = path: _: baseNameOf (toString path); } { };
            }
            """);
        var result = Tool.Run("nix-instantiate", ["--readonly-mode", "--eval", "--strict", "--json", harness]);
        Assert.True(result.ExitCode == 0, result.Stderr);

        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        var packages = root.GetProperty("packages");
        Assert.Equal(Systems, packages.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var system in Systems)
        {
            var set = packages.GetProperty(system);
            Assert.Equal("package-agent.nix", set.GetProperty("nixfleet-agent").GetString());
            Assert.Equal("package-dashboard.nix", set.GetProperty("nixfleet-dashboard").GetString());
        }
        Assert.True(root.GetProperty("nixosModules").GetProperty("nixfleet-agent").GetBoolean());
        Assert.True(root.GetProperty("nixosModules").GetProperty("nixfleet-dashboard").GetBoolean());
        Assert.True(root.GetProperty("homeManagerModules").GetProperty("nixfleet-agent").GetBoolean());
        Assert.Equal("package-agent.nix", root.GetProperty("overlay").GetProperty("nixfleet-agent").GetString());
        Assert.Equal("package-dashboard.nix", root.GetProperty("overlay").GetProperty("nixfleet-dashboard").GetString());
    }

    [Fact]
    public void Flake_lock_pins_the_nixpkgs_branch_the_flake_names()
    {
        var input = InputUrl().Match(RepoFiles.Read("flake.nix"));
        Assert.True(input.Success, "flake.nix has no inputs.nixpkgs.url = \"github:NixOS/nixpkgs/<ref>\"");

        using var lockJson = JsonDocument.Parse(RepoFiles.Read("flake.lock"));
        var lockRoot = lockJson.RootElement;
        Assert.Equal(7, lockRoot.GetProperty("version").GetInt32());
        var rootNode = lockRoot.GetProperty("root").GetString()!;
        var nodes = lockRoot.GetProperty("nodes");
        var nixpkgsNode = nodes.GetProperty(rootNode).GetProperty("inputs").GetProperty("nixpkgs").GetString()!;
        var node = nodes.GetProperty(nixpkgsNode);

        var original = node.GetProperty("original");
        Assert.Equal("github", original.GetProperty("type").GetString());
        Assert.Equal("nixos", original.GetProperty("owner").GetString()!.ToLowerInvariant());
        Assert.Equal("nixpkgs", original.GetProperty("repo").GetString());
        Assert.Equal(input.Groups["ref"].Value, original.GetProperty("ref").GetString());

        var locked = node.GetProperty("locked");
        Assert.Equal("github", locked.GetProperty("type").GetString());
        Assert.Matches("^[0-9a-f]{40}$", locked.GetProperty("rev").GetString());
        Assert.Matches("^sha256-[A-Za-z0-9+/]{43}=$", locked.GetProperty("narHash").GetString());
        Assert.True(locked.GetProperty("lastModified").GetInt64() > 1_700_000_000);
    }

    [GeneratedRegex("""inputs\.nixpkgs\.url\s*=\s*"github:NixOS/nixpkgs/(?<ref>[^"]+)";""")]
    private static partial Regex InputUrl();

    public void Dispose() => _dir.Dispose();
}
