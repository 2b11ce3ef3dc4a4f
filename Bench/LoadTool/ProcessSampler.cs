using System.Globalization;

namespace NixFleet.LoadTool;

/// <summary>CPU (percent of one core) and RSS of another process, read from /proc.</summary>
internal sealed class ProcessSampler(int pid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private double _lastCpuSeconds = CpuSeconds(pid);
    private DateTime _lastAt = DateTime.UtcNow;

    public (double CpuPercent, long RssMb) Sample()
    {
        var cpu = CpuSeconds(pid);
        var now = DateTime.UtcNow;
        var percent = (cpu - _lastCpuSeconds) / (now - _lastAt).TotalSeconds * 100;
        (_lastCpuSeconds, _lastAt) = (cpu, now);
        return (percent, RssMb(pid));
    }

    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of stat; here 0-based after the command name: 11 and 12.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    public static long RssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return 0;
    }
}
