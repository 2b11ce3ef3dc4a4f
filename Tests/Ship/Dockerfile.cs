namespace NixFleet.Tests.Ship;

/// <summary>compose/Dockerfile as instructions: continuation lines joined, comments dropped.</summary>
internal sealed record Dockerfile(IReadOnlyList<Dockerfile.Instruction> Instructions)
{
    public sealed record Instruction(string Keyword, string Arguments, int Stage);

    public static Dockerfile Parse(string text)
    {
        var result = new List<Instruction>();
        var stage = -1;
        var pending = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (pending.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)) continue;
            if (pending.Length > 0 && line.TrimStart().StartsWith('#')) continue;
            if (line.EndsWith('\\')) { pending += line[..^1] + " "; continue; }
            var full = (pending + line).Trim();
            pending = "";
            var space = full.IndexOf(' ');
            var keyword = (space < 0 ? full : full[..space]).ToUpperInvariant();
            if (keyword == "FROM") stage++;
            result.Add(new Instruction(keyword, space < 0 ? "" : full[(space + 1)..].Trim(), stage));
        }
        return new Dockerfile(result);
    }

    public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public int LastStage => Instructions.Max(i => i.Stage);

    /// <summary>Sources of a COPY from the build context (not <c>--from</c> another stage); null for those.</summary>
    public static IReadOnlyList<string>? ContextSources(Instruction copy)
    {
        var words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal))) return null;
        var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        return paths.Take(paths.Count - 1).ToList();
    }
}
