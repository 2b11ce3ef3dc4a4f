using System.Security.Cryptography;
using System.Text.Json;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Ship;

/// <summary>
/// nix/web-node-modules.json, the hash the Nix build checks the dashboard's front-end packages against, follows
/// Web/package-lock.json and is the hash of what `npm ci` installed for the build that runs these tests.
/// </summary>
public sealed class WebNodeModulesTests : IDisposable
{
    private const string Fix = "run scripts/update-web-node-modules-hash.sh";
    private readonly TempDir _dir = new();
    private readonly JsonElement _recorded = JsonDocument.Parse(RepoFiles.Read("nix", "web-node-modules.json")).RootElement.Clone();

    [Fact]
    public void Recorded_for_the_current_lock_file()
    {
        var lockHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(RepoFiles.Path("Web", "package-lock.json"))));
        Assert.True(lockHash == _recorded.GetProperty("lockSha256").GetString(), $"Web/package-lock.json changed: {Fix}");
    }

    [Fact]
    public void Recorded_hash_is_the_nar_hash_of_the_installed_packages()
    {
        // The build installed them (the Web project's NpmInstall target); hash them as the Nix derivation leaves them.
        var copy = Path.Combine(_dir.Path, "node_modules");
        var cp = Tool.Run("cp", ["-a", RepoFiles.Path("Web", "node_modules"), copy]);
        Assert.True(cp.ExitCode == 0, cp.All);
        File.Delete(Path.Combine(copy, ".package-lock.json"));
        File.Delete(Path.Combine(copy, ".nixfleet-installed"));

        var hashed = Tool.Run("nix-hash", ["--type", "sha256", copy]);
        Assert.True(hashed.ExitCode == 0, hashed.All);
        var sri = "sha256-" + Convert.ToBase64String(Convert.FromHexString(hashed.Stdout.Trim()));
        Assert.True(sri == _recorded.GetProperty("hash").GetString(), $"node_modules hash {sri} is not the recorded one: {Fix}");
    }

    public void Dispose() => _dir.Dispose();
}
