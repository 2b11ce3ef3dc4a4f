namespace NixFleet.Tests.Support;

/// <summary>Locates the repository and the build outputs of its programs, for tests that start real processes.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    public static string DashboardDll => Output("Web", "nixfleet-dashboard.dll");

    public static string AgentDll => Output("Agent", "nixfleet-agent.dll");

    private static string Output(string project, string file)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build output missing: {path}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NixFleet.slnx"))) return dir.FullName;
        throw new InvalidOperationException("NixFleet.slnx not found above " + AppContext.BaseDirectory);
    }
}
