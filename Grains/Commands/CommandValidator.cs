using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Grains.Commands;

/// <summary>Pre-validation of a request against the host's situation. Null: accepted.</summary>
public static class CommandValidator
{
    public static SubmitResult? Check(CommandRequest r, CommandBook book, bool known, bool online, DateTimeOffset now, CommandOptions o)
    {
        if (!CommandOps.IsKnown(r.Op))
            return SubmitResult.Refused(RefusalCodes.UnknownCommand, $"'{r.Op}' is not a command; allowed: {string.Join(", ", CommandOps.All)}.");
        if (r.Args is { Count: > 0 } args)
        {
            var allowed = CommandOps.DocumentedArgs[r.Op];
            if (args.Keys.FirstOrDefault(k => !allowed.Contains(k)) is { } bad)
                return SubmitResult.Refused(RefusalCodes.InvalidArgs, allowed.Count == 0
                    ? $"{r.Op} takes no arguments ('{bad}' given)."
                    : $"{r.Op} takes only {string.Join(", ", allowed)} ('{bad}' given).");
        }
        if (!known)
            return SubmitResult.Refused(RefusalCodes.UnknownHost, "this host has never registered.");
        // Limits that protect the host: force does not override them.
        if (r.Op == "reboot" && book.Reboots.Count(t => now - t < TimeSpan.FromHours(1)) >= o.RebootsPerHour)
            return SubmitResult.Refused(RefusalCodes.RateLimited, $"at most {o.RebootsPerHour} reboots per host per hour.");
        if (!online && !r.Queue)
            return SubmitResult.Refused(RefusalCodes.HostOffline, "the host is offline; ask to queue the command to run it when the host returns.");
        var runsNow = online && CommandOps.IsInterrupting(r.Op);
        var inFlight = book.Current is not null;
        if (!runsNow && inFlight && !r.Queue && !r.Force)
            return SubmitResult.Refused(RefusalCodes.Busy, $"{book.Current!.Op} ({book.Current.Id}) is in flight; queue the command or force it.");
        var waits = !runsNow && (inFlight && !r.Force || !online);
        if (waits && book.Queue.Count >= o.QueueLimit)
            return SubmitResult.Refused(RefusalCodes.QueueFull, $"the queue holds {o.QueueLimit} commands already.");
        return null;
    }
}
