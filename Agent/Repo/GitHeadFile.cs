namespace NixFleet.Agent.Repo;

/// <summary>
/// Reads HEAD's commit straight from <c>.git</c> (HEAD, loose ref, packed-refs): every heartbeat needs it, and
/// not starting a git process each time keeps the idle agent small. Null when the layout is unusual; callers
/// then ask git.
/// </summary>
internal static class GitHeadFile
{
    public static string? Read(string repoDir)
    {
        var git = Path.Combine(repoDir, ".git");
        try
        {
            if (!Directory.Exists(git)) return null;
            var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return IsSha(head) ? head : null;
            var name = head[5..].Trim();
            if (name.Contains("..", StringComparison.Ordinal)) return null;
            var loose = Path.Combine(git, name);
            if (File.Exists(loose)) return File.ReadAllText(loose).Trim() is var sha && IsSha(sha) ? sha : null;
            var packed = Path.Combine(git, "packed-refs");
            if (!File.Exists(packed)) return null;
            foreach (var line in File.ReadLines(packed))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[1] == name && IsSha(parts[0])) return parts[0];
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    private static bool IsSha(string s) => s.Length is 40 or 64 && s.All(char.IsAsciiHexDigitLower);
}
