namespace NixFleet.Tests.Ship;

/// <summary>The NuGet dependency file of the Nix packages agrees with the projects' locked restores.</summary>
public sealed class NugetDepsTests
{
    [Fact]
    public void The_flake_builds_the_agent_and_the_dashboard_projects()
    {
        Assert.Equal(["Agent/NixFleet.Agent.csproj", "Web/NixFleet.Web.csproj"], NugetDeps.FlakeProjects());
        Assert.Contains("<RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>", RepoFiles.Read("Directory.Build.props"));
    }

    [Fact]
    public void Deps_file_lists_exactly_the_locked_packages()
    {
        var deps = NugetDeps.Read(RepoFiles.Read("nix", "deps.json"));
        var locked = NugetDeps.Locked(NugetDeps.FlakeProjects());
        Assert.NotEmpty(locked);
        var problems = NugetDeps.Differences(deps, locked);
        Assert.True(problems.Count == 0,
            "nix/deps.json disagrees with the lock files; run scripts/update-nuget-deps.sh:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Deps_file_hashes_are_the_hashes_of_the_restored_packages()
    {
        // The build that runs these tests restored every locked package into the global packages folder.
        var wrong = NugetDeps.Read(RepoFiles.Read("nix", "deps.json"))
            .Select(e => (e, Cached: NugetDeps.CachedHash(e.Package)))
            .Where(x => x.Cached != x.e.Hash)
            .Select(x => $"{x.e.Package.Name} {x.e.Package.Version}: deps.json {x.e.Hash}, restored {x.Cached ?? "(not in the NuGet cache)"}")
            .ToList();
        Assert.True(wrong.Count == 0, "run scripts/update-nuget-deps.sh:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void A_package_bumped_in_a_lock_file_but_not_in_the_deps_file_is_reported()
    {
        var deps = NugetDeps.Read(RepoFiles.Read("nix", "deps.json"));
        var locked = NugetDeps.Locked(NugetDeps.FlakeProjects()).ToList();
        var bumped = locked[0] with { Version = locked[0].Version + "-next" };
        locked[0] = bumped;

        var problems = NugetDeps.Differences(deps, locked);
        Assert.Contains($"locked but missing from deps.json: {bumped.Name} {bumped.Version}", problems);
        Assert.Contains(problems, p => p.StartsWith("in deps.json but in no lock file: ", StringComparison.Ordinal));
    }
}
