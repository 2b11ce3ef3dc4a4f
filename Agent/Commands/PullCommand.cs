using NixFleet.Agent.Status;
using NixFleet.Protocol;

namespace NixFleet.Agent.Commands;

/// <summary><c>pull</c>: isolated mode owns its clone (re-cloned when missing or corrupt), else <c>git pull</c>.</summary>
internal static class PullCommand
{
    public static async Task<Outcome> RunAsync(CommandServices s, CommandContext ctx, bool lastStep)
    {
        var repo = s.Repo;
        var steps = new List<Processes.Step>();
        if (s.Settings.IsolatedRepo)
        {
            if (!await repo.IsHealthyAsync())
            {
                ctx.Say(Directory.Exists(repo.Dir)
                    ? $"clone at {repo.Dir} is corrupt or incomplete: cloning it again"
                    : $"no clone at {repo.Dir}: cloning {s.Settings.RepoUrl}", Directory.Exists(repo.Dir));
                repo.PrepareFreshClone();
                steps.Add(repo.Clone());
            }
            else steps.AddRange(repo.IsolatedPull());
        }
        else steps.Add(repo.SharedPull());

        for (var i = 0; i < steps.Count; i++)
        {
            s.Reporter.Progress(new OperationProgress(new PhaseProgress(i, steps.Count, "working"), null, null, null));
            var code = await ctx.RunAsync(steps[i], lastStep && i == steps.Count - 1);
            if (ctx.Stopped) return Outcome.Stopped(ctx.Command);
            if (code != 0)
            {
                s.Reporter.Progress(new OperationProgress(new PhaseProgress(i, steps.Count, "error"), null, null, null));
                s.Board.Set(u => u with { Git = StatusBoard.Make("error", $"pull failed: {steps[i].Display} exited {code}") });
                return Outcome.Failed(code, $"pull failed: {steps[i].Display} exited with {code}");
            }
        }
        s.Reporter.Progress(new OperationProgress(new PhaseProgress(steps.Count, steps.Count, "ok"), null, null, null));
        var head = await repo.HeadAsync();
        s.Board.Set(u => u with { Git = StatusBoard.Make("ok", "pulled " + head) });
        s.Checks.RefreshLock();
        return Outcome.Ok("at " + head);
    }
}
