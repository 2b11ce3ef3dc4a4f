using System.Text.RegularExpressions;
using System.Xml.Linq;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Ship;

/// <summary>
/// compose/Dockerfile against the repository: what it copies exists, its restore layer has every project the
/// dashboard needs, and it starts the dll the Web project really produces. No Docker daemon is needed.
/// </summary>
public sealed class DockerfileTests
{
    private const string WebProject = "Web/NixFleet.Web.csproj";
    private readonly Dockerfile _file = Dockerfile.Parse(RepoFiles.Read("compose", "Dockerfile"));

    [Fact]
    public void Every_copied_source_exists_in_the_build_context()
    {
        var copies = _file.All("COPY").Select(Dockerfile.ContextSources).OfType<IReadOnlyList<string>>().ToList();
        Assert.NotEmpty(copies);
        var missing = copies.SelectMany(s => s).Where(s => !Path.Exists(RepoFiles.Path(s))).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_restore_layer_has_every_project_of_the_dashboard_with_its_lock_file()
    {
        var beforeRestore = _file.Instructions.TakeWhile(i => !(i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore")))
            .Where(i => i.Keyword == "COPY").Select(Dockerfile.ContextSources).OfType<IReadOnlyList<string>>()
            .SelectMany(s => s).ToHashSet();
        var restore = Assert.Single(_file.All("RUN"), i => i.Arguments.Contains("dotnet restore"));
        Assert.Contains($"dotnet restore {WebProject} --locked-mode", restore.Arguments);

        var expected = new List<string> { "Directory.Build.props", "Directory.Packages.props" };
        foreach (var project in ProjectClosure(WebProject))
        {
            expected.Add(project);
            expected.Add(Path.Combine(Path.GetDirectoryName(project)!, "packages.lock.json"));
        }
        var missing = expected.Where(e => !beforeRestore.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "not copied before `dotnet restore`: " + string.Join(", ", missing));
    }

    [Fact]
    public void It_publishes_the_web_project_and_starts_its_real_output()
    {
        var assembly = XDocument.Load(RepoFiles.Path(WebProject)).Descendants("AssemblyName").Single().Value;
        var dll = assembly + ".dll";
        // The build that runs this test produced it under that name.
        Assert.Equal(dll, Path.GetFileName(RepoPaths.DashboardDll));

        var publish = Assert.Single(_file.All("RUN"), i => i.Arguments.Contains("dotnet publish"));
        Assert.Matches($@"dotnet publish {Regex.Escape(WebProject)} -c Release -o /app\b", publish.Arguments);
        Assert.Contains(_file.All("COPY"), c => c.Stage == _file.LastStage && c.Arguments == "--from=build /app /app");

        var entry = Assert.Single(_file.All("ENTRYPOINT"));
        Assert.Equal($"[\"dotnet\", \"/app/{dll}\"]", entry.Arguments);
    }

    [Fact]
    public void It_builds_on_the_sdk_with_npm_and_runs_on_the_aspnet_runtime()
    {
        var froms = _file.All("FROM").Select(f => f.Arguments).ToList();
        Assert.Equal(2, froms.Count);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", froms[0]);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0\b", froms[1]);
        Assert.Contains(_file.All("RUN"), r => r.Stage == 0 && Regex.IsMatch(r.Arguments, @"apt-get install .*\bnodejs\b.*\bnpm\b"));
    }

    [Fact]
    public void The_runtime_image_runs_as_uid_1000_with_data_in_a_volume_on_port_8000_and_checks_health()
    {
        var last = _file.LastStage;
        Assert.Equal("1000:1000", Assert.Single(_file.All("USER")).Arguments);
        Assert.Contains(_file.All("RUN"), r => r.Stage == last && r.Arguments.Contains("useradd --uid 1000 --gid 1000"));
        Assert.Contains("\"/data\"", Assert.Single(_file.All("VOLUME")).Arguments);
        Assert.Equal("8000", Assert.Single(_file.All("EXPOSE")).Arguments);

        var env = string.Join(' ', _file.All("ENV").Where(e => e.Stage == last).Select(e => e.Arguments));
        Assert.Matches(@"\bNIXFLEET_DATA_DIR=/data\b", env);
        Assert.Matches(@"\bNIXFLEET_LISTEN=0\.0\.0\.0:8000\b", env);

        Assert.Contains(_file.All("RUN"), r => r.Stage == last && Regex.IsMatch(r.Arguments, @"apt-get install .*\bwget\b"));
        var health = Assert.Single(_file.All("HEALTHCHECK"));
        Assert.Contains("CMD wget -q --spider http://localhost:8000/health", health.Arguments);
    }

    [Fact]
    public void No_secret_is_baked_into_the_image()
    {
        var secretNames = new Regex("PASSWORD|TOKEN|SECRET|TOTP", RegexOptions.IgnoreCase);
        var declared = _file.All("ENV").Concat(_file.All("ARG")).Where(i => secretNames.IsMatch(i.Arguments)).ToList();
        Assert.Empty(declared);

        // The context leaves out local secrets and data: operators keep nixfleet.env beside the compose file.
        var ignore = RepoFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("**/*.env", ignore);
        Assert.Contains("data/", ignore);
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    /// <summary>The project and every project it references, transitively, relative to the repository root.</summary>
    private static List<string> ProjectClosure(string project)
    {
        var seen = new List<string>();
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var current))
        {
            if (seen.Contains(current)) continue;
            seen.Add(current);
            var dir = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(RepoFiles.Path(current)).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                var full = Path.GetFullPath(Path.Combine(RepoPaths.Root, dir, include));
                queue.Enqueue(Path.GetRelativePath(RepoPaths.Root, full));
            }
        }
        return seen;
    }
}
