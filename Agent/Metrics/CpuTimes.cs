namespace NixFleet.Agent.Metrics;

/// <summary>Cumulative CPU ticks; usage is the busy share of the ticks between two samples.</summary>
internal readonly record struct CpuTimes(ulong Total, ulong Idle)
{
    public static double UsagePercent(CpuTimes before, CpuTimes after)
    {
        if (after.Total <= before.Total) return 0;
        var total = after.Total - before.Total;
        var idle = after.Idle >= before.Idle ? after.Idle - before.Idle : 0;
        return Math.Clamp(100.0 * (total - Math.Min(idle, total)) / total, 0, 100);
    }
}
