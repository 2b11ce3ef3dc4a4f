namespace NixFleet.Agent.Facts;

/// <summary>
/// A path with every symbolic link resolved, directories included (as realpath(3)): Nix profiles are chains of
/// links through directories (/run/current-system/sw/bin may itself be one), and only the end tells the package.
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40;

    public static string Of(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var result = "/";
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..") { result = Path.GetDirectoryName(result) ?? "/"; continue; }
            var next = Path.Combine(result, part);
            if (new FileInfo(next).LinkTarget is not { } target) { result = next; continue; }
            if (++links > MaxLinks) throw new IOException($"more than {MaxLinks} symbolic links under {path}");
            if (target.StartsWith('/')) result = "/";
            foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(p);
        }
        return result;
    }
}
