namespace NixFleet.Tests.Ship;

/// <summary>Files of the repository itself (not build outputs, not dependencies).</summary>
internal static class RepoFiles
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", "TestResults", ".git", "data"];

    public static string Path(params string[] parts) => System.IO.Path.Combine([Support.RepoPaths.Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>Every file with the extension, relative to the root, skipping outputs and dependencies.</summary>
    public static IReadOnlyList<string> WithExtension(string extension)
    {
        var found = new List<string>();
        Walk(new DirectoryInfo(Support.RepoPaths.Root));
        found.Sort(StringComparer.Ordinal);
        return found;

        void Walk(DirectoryInfo dir)
        {
            foreach (var f in dir.EnumerateFiles("*" + extension))
                found.Add(System.IO.Path.GetRelativePath(Support.RepoPaths.Root, f.FullName));
            foreach (var d in dir.EnumerateDirectories())
                if (!Skipped.Contains(d.Name) && !d.Attributes.HasFlag(FileAttributes.ReparsePoint)) Walk(d);
        }
    }
}
