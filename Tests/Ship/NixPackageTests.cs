using System.Text.Json;
using System.Xml.Linq;

namespace NixFleet.Tests.Ship;

/// <summary>
/// nix/package-*.nix evaluated by nix-instantiate with a stand-in buildDotnetModule that hands back its arguments
/// (Tests/Ship/Nix/eval-package.nix): each builds the right project, names its real executable, and builds offline.
/// </summary>
public sealed class NixPackageTests
{
    private static JsonElement Eval(string package)
    {
        var result = Tool.Run("nix-instantiate", [
            "--readonly-mode", "--eval", "--strict", "--json", RepoFiles.Path("Tests", "Ship", "Nix", "eval-package.nix"),
            "--arg", "package", RepoFiles.Path("nix", package),
        ]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    private static string? ProjectProperty(string project, string name) =>
        XDocument.Load(RepoFiles.Path(project)).Descendants(name).FirstOrDefault()?.Value;

    [Theory]
    [InlineData("package-agent.nix", "nixfleet-agent", "Agent/NixFleet.Agent.csproj", "runtime_10_0")]
    [InlineData("package-dashboard.nix", "nixfleet-dashboard", "Web/NixFleet.Web.csproj", "aspnetcore_10_0")]
    public void Package_builds_its_project_and_installs_the_projects_real_executable(string package, string pname, string project, string runtime)
    {
        var args = Eval(package);
        Assert.Equal(pname, args.GetProperty("pname").GetString());
        Assert.Equal(project, args.GetProperty("projectFile").GetString());
        Assert.True(File.Exists(RepoFiles.Path(project)));
        Assert.Equal("deps.json", args.GetProperty("nugetDeps").GetString());
        Assert.Equal("sdk_10_0", args.GetProperty("dotnet-sdk").GetString());
        Assert.Equal(runtime, args.GetProperty("dotnet-runtime").GetString());

        var assembly = ProjectProperty(project, "AssemblyName");
        Assert.Equal([assembly], args.GetProperty("executables").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(assembly, args.GetProperty("meta").GetProperty("mainProgram").GetString());
        var platforms = args.GetProperty("meta").GetProperty("platforms").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["aarch64-darwin", "aarch64-linux", "x86_64-darwin", "x86_64-linux"], platforms.Order());
    }

    [Fact]
    public void Agent_is_published_framework_dependent_whatever_the_project_does_for_release_binaries()
    {
        var flags = Eval("package-agent.nix").GetProperty("dotnetFlags").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("-p:SelfContained=false", flags);
        Assert.Contains("-p:PublishSingleFile=false", flags);
        Assert.Contains("-p:PublishTrimmed=false", flags);
    }

    [Fact]
    public void Dashboard_build_gets_its_front_end_packages_without_the_network()
    {
        var preBuild = Eval("package-dashboard.nix").GetProperty("preBuild").GetString()!;
        Assert.Contains("cp -r /nix/store/0000-web-node-modules.nix Web/node_modules", preBuild);
        // The stamp that tells the project's NpmInstall target the packages are already there.
        var stamp = ProjectProperty("Web/NixFleet.Web.csproj", "NpmStamp");
        Assert.NotNull(stamp);
        Assert.Contains($"touch Web/{stamp}", preBuild);
    }
}
