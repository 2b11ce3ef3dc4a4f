using System.Text.Json;
using NixFleet.Agent.Processes;
using NixFleet.Agent.Status;
using NixFleet.Protocol;

namespace NixFleet.Agent.Commands;

/// <summary><c>test</c>: runs the executable <c>hosts/&lt;hostname&gt;/tests/*.sh</c> in name order, reporting progress and failures by name.</summary>
internal static class TestCommand
{
    public static IReadOnlyList<string> FindScripts(string repoDir, string hostname)
    {
        var dir = Path.Combine(repoDir, "hosts", hostname, "tests");
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.sh")
            .Where(f => (File.GetUnixFileMode(f) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static async Task<Outcome> RunAsync(CommandServices s, CommandContext ctx)
    {
        var scripts = FindScripts(s.Repo.Dir, s.Settings.Hostname);
        if (scripts.Count == 0)
        {
            s.Board.Set(u => u with { Tests = StatusBoard.Make("unknown", $"no tests in hosts/{s.Settings.Hostname}/tests") });
            return new Outcome("warning", 0, $"no executable hosts/{s.Settings.Hostname}/tests/*.sh");
        }
        var results = new List<(string Name, bool Passed)>();
        for (var i = 0; i < scripts.Count; i++)
        {
            var name = Path.GetFileName(scripts[i]);
            s.Reporter.TestProgress(new TestProgressPayload(i + 1, scripts.Count, results.Count(r => r.Passed), name, null));
            s.Reporter.Progress(new OperationProgress(null, null, null, new TestsPhaseProgress(i, scripts.Count, Results(results), "working")));
            var code = await ctx.RunAsync(new Step([scripts[i]], s.Repo.Dir), lastStep: i == scripts.Count - 1);
            if (ctx.Stopped) return Outcome.Stopped(ctx.Command);
            results.Add((name, code == 0));
            ctx.Say(code == 0 ? $"PASS {name}" : $"FAIL {name} (exit {code})", code != 0);
            s.Reporter.TestProgress(new TestProgressPayload(i + 1, scripts.Count, results.Count(r => r.Passed), name, code == 0 ? "pass" : "fail"));
        }
        var failed = results.Where(r => !r.Passed).Select(r => r.Name).ToList();
        var passed = results.Count - failed.Count;
        var summary = failed.Count == 0 ? $"{passed}/{results.Count} passed" : $"{passed}/{results.Count} passed; failed: {string.Join(", ", failed)}";
        s.Reporter.Progress(new OperationProgress(null, null, null, new TestsPhaseProgress(results.Count, results.Count, Results(results), failed.Count == 0 ? "ok" : "error")));
        s.Board.Set(u => u with { Tests = StatusBoard.Make(failed.Count == 0 ? "ok" : "error", summary) });
        return failed.Count == 0 ? Outcome.Ok(summary) : Outcome.Failed(1, summary);
    }

    private static List<JsonElement> Results(List<(string Name, bool Passed)> results) =>
        results.Select(r =>
        {
            using var doc = JsonDocument.Parse($"{{\"name\":{JsonEncoded(r.Name)},\"passed\":{(r.Passed ? "true" : "false")}}}");
            return doc.RootElement.Clone();
        }).ToList();

    private static string JsonEncoded(string s) => "\"" + JsonEncodedText.Encode(s) + "\"";
}
