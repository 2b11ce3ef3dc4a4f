using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Web.Components;

/// <summary>How long a command ran (or has been running), as people read it.</summary>
public static class CommandTimes
{
    public static string Duration(CommandRecord c, DateTimeOffset now)
    {
        var from = c.StartedAt ?? c.DispatchedAt;
        if (from is null) return c.Ended ? "—" : "waiting";
        var span = (c.EndedAt ?? now) - from.Value;
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes:00}m"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m {span.Seconds:00}s"
            : $"{span.TotalSeconds:0.0}s";
    }
}
