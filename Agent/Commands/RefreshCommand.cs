namespace NixFleet.Agent.Commands;

/// <summary><c>refresh-lock</c>, <c>refresh-system</c>, <c>refresh-all</c>, <c>check-version</c>: re-check and report.</summary>
internal static class RefreshCommand
{
    public static async Task<Outcome> RunAsync(CommandServices s, CommandContext ctx)
    {
        var all = ctx.Command == "refresh-all";
        if (all) await s.Checks.RefreshGitAsync();
        if (all || ctx.Command == "refresh-lock") s.Checks.RefreshLock();
        if (all || ctx.Command == "check-version") s.Checks.RefreshBinary();
        if (all || ctx.Command == "refresh-system")
        {
            var system = await s.Checks.RefreshSystemAsync();
            ctx.Say($"system: {system.Status}: {system.Message}", system.Status == "error");
        }
        var u = s.Board.Current;
        ctx.Say($"git: {u.Git?.Status} {u.Git?.Message}; lock: {u.Lock?.Status} {u.Lock?.Message}; agent {s.Checks.Binary.Version} {s.Checks.Binary.Hash?[..12]}");
        return Outcome.Ok(ctx.Command + " done");
    }
}
