using System.Text.Json;
using System.Text.RegularExpressions;

namespace NixFleet.Tests.Ship;

/// <summary>
/// nix/deps.json against what the flake's projects actually restore: the packages.lock.json of every project a
/// nix/package-*.nix builds (each lists its whole package closure), and the hash NuGet recorded for each .nupkg.
/// </summary>
internal static partial class NugetDeps
{
    public sealed record Package(string Name, string Version)
    {
        // NuGet ids and versions compare without case, as NuGet itself does.
        public string Key => $"{Name.ToLowerInvariant()}/{Version.ToLowerInvariant()}";
    }

    public sealed record Entry(Package Package, string Hash);

    public static IReadOnlyList<string> FlakeProjects() =>
        Directory.GetFiles(RepoFiles.Path("nix"), "package-*.nix")
            .SelectMany(f => ProjectFile().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct().Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<Package> Locked(IEnumerable<string> projects)
    {
        var packages = new Dictionary<string, Package>();
        foreach (var project in projects)
        {
            var lockFile = RepoFiles.Path(Path.GetDirectoryName(project)!, "packages.lock.json");
            using var json = JsonDocument.Parse(File.ReadAllText(lockFile));
            foreach (var target in json.RootElement.GetProperty("dependencies").EnumerateObject())
                foreach (var dep in target.Value.EnumerateObject())
                {
                    if (dep.Value.GetProperty("type").GetString() == "Project") continue;
                    var p = new Package(dep.Name, dep.Value.GetProperty("resolved").GetString()!);
                    packages.TryAdd(p.Key, p);
                }
        }
        return packages.Values.ToList();
    }

    public static IReadOnlyList<Entry> Read(string depsJson)
    {
        using var json = JsonDocument.Parse(depsJson);
        return json.RootElement.EnumerateArray().Select(e => new Entry(
            new Package(e.GetProperty("pname").GetString()!, e.GetProperty("version").GetString()!),
            e.GetProperty("hash").GetString()!)).ToList();
    }

    /// <summary>Every disagreement between the deps file and the locked packages, as one line each.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<Entry> deps, IReadOnlyList<Package> locked)
    {
        var problems = new List<string>();
        var inDeps = deps.GroupBy(e => e.Package.Key).ToDictionary(g => g.Key, g => g.ToList());
        var inLocks = locked.Select(p => p.Key).ToHashSet();

        problems.AddRange(inDeps.Where(g => g.Value.Count > 1).Select(g => $"listed twice in deps.json: {g.Key}"));
        problems.AddRange(locked.Where(p => !inDeps.ContainsKey(p.Key)).Select(p => $"locked but missing from deps.json: {p.Name} {p.Version}"));
        problems.AddRange(deps.Where(e => !inLocks.Contains(e.Package.Key)).Select(e => $"in deps.json but in no lock file: {e.Package.Name} {e.Package.Version}"));
        problems.AddRange(deps.Where(e => !Sri().IsMatch(e.Hash)).Select(e => $"not an SRI hash: {e.Package.Name} {e.Hash}"));
        return problems;
    }

    /// <summary>The SHA-512 NuGet recorded for the downloaded .nupkg, as the SRI hash fetchurl checks.</summary>
    public static string? CachedHash(Package p)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var id = p.Name.ToLowerInvariant();
        var version = p.Version.ToLowerInvariant();
        var file = Path.Combine(root, id, version, $"{id}.{version}.nupkg.sha512");
        return File.Exists(file) ? "sha512-" + File.ReadAllText(file).Trim() : null;
    }

    [GeneratedRegex("""projectFile\s*=\s*"([^"]+)";""")]
    private static partial Regex ProjectFile();

    [GeneratedRegex("^sha(256|512)-[A-Za-z0-9+/]+={0,2}$")]
    private static partial Regex Sri();
}
