using System.Globalization;

namespace NixFleet.LoadTool;

/// <summary>
/// CPU (percent of one core) and RSS of another process, read from /proc. With a pid file it follows the
/// dashboard across restarts; while no process answers it reports NaN and 0.
/// </summary>
internal sealed class ProcessSampler(Func<int?> pidSource)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private int? _pid;
    private double _lastCpuSeconds;
    private DateTime _lastAt = DateTime.UtcNow;

    public (double CpuPercent, long RssMb) Sample()
    {
        try { return SampleOnce(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            _pid = null;
            return (double.NaN, 0);
        }
    }

    private (double CpuPercent, long RssMb) SampleOnce()
    {
        var current = pidSource();
        if (current is not { } pid) return (double.NaN, 0);
        if (current != _pid)
        {
            (_pid, _lastCpuSeconds, _lastAt) = (pid, CpuSeconds(pid), DateTime.UtcNow);
            return (double.NaN, RssMb(pid));
        }
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
