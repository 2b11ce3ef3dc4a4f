using NixFleet.Agent.Configuration;
using NixFleet.Agent.Facts;
using NixFleet.Agent.Processes;
using NixFleet.Agent.Status;

namespace NixFleet.Agent.Commands;

/// <summary><c>switch</c> and <c>rollback</c>: the rebuild runs in its own session, so it outlives an agent restart.</summary>
internal static class SwitchCommand
{
    public static async Task<Outcome> SwitchAsync(CommandServices s, CommandContext ctx)
    {
        var argv = HostCommands.Switch(s.Settings.Kind, s.Repo.Dir, s.Settings.Hostname);
        var code = await ctx.RunAsync(new Step(argv, s.Repo.Dir, s.Repo.Env), lastStep: true);
        return Finish(s, ctx, "switch", code);
    }

    public static async Task<Outcome> RollbackAsync(CommandServices s, CommandContext ctx)
    {
        IReadOnlyList<string> argv;
        if (s.Settings.Kind == HostKind.MacOS)
        {
            var list = HostCommands.ListHomeGenerations();
            var r = await ProcessRunner.RunAsync(list[0], list.Skip(1));
            var previous = r.Ok ? HostCommands.PreviousHomeGeneration(r.Stdout) : null;
            if (previous is null) return Outcome.Failed(1, "no previous home-manager generation to roll back to");
            argv = HostCommands.ActivateHomeGeneration(previous);
        }
        else argv = HostCommands.RollbackNixOS();
        var code = await ctx.RunAsync(new Step(argv, s.Repo.Dir), lastStep: true);
        return Finish(s, ctx, "rollback", code);
    }

    /// <summary>Also used after a restart, for a switch that ended while the agent was down.</summary>
    public static Outcome Finish(CommandServices s, CommandContext ctx, string what, int code)
    {
        if (ctx.Stopped) return Outcome.Stopped(ctx.Command);
        if (code != 0)
        {
            s.Board.Set(u => u with { System = StatusBoard.Make("error", $"{what} failed (exit {code})") });
            return Outcome.Failed(code, $"{what} failed with exit code {code}");
        }
        s.Board.Set(u => u with { System = StatusBoard.Make("ok", what == "switch" ? "switched" : "rolled back") });
        s.Checks.RefreshBinary();
        return Outcome.Ok(what + " succeeded");
    }
}
