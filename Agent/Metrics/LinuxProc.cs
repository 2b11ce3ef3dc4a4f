using System.Globalization;

namespace NixFleet.Agent.Metrics;

/// <summary>Parsers for /proc/stat, /proc/meminfo and /proc/loadavg.</summary>
internal static class LinuxProc
{
    /// <summary>The aggregate "cpu" line: idle includes iowait; guest time is already inside user.</summary>
    public static CpuTimes? ParseStat(string text)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null) return null;
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(s => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0UL).ToArray();
        if (f.Length < 4) return null;
        ulong total = 0;
        foreach (var v in f) total += v;
        var idle = f[3] + (f.Length > 4 ? f[4] : 0);
        return new CpuTimes(total, idle);
    }

    /// <summary>(ram %, swap %) used, from MemTotal/MemAvailable and SwapTotal/SwapFree.</summary>
    public static (double Ram, double Swap)? ParseMemInfo(string text)
    {
        var kb = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var num = line[(colon + 1)..].Trim().Split(' ')[0];
            if (double.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) kb[line[..colon]] = v;
        }
        if (!kb.TryGetValue("MemTotal", out var total) || total <= 0) return null;
        var available = kb.TryGetValue("MemAvailable", out var a) ? a : kb.GetValueOrDefault("MemFree");
        var swapTotal = kb.GetValueOrDefault("SwapTotal");
        var swap = swapTotal > 0 ? 100.0 * (swapTotal - kb.GetValueOrDefault("SwapFree")) / swapTotal : 0;
        return (Round(100.0 * (total - available) / total), Round(swap));
    }

    public static double? ParseLoadAvg(string text) =>
        double.TryParse(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    internal static double Round(double v) => Math.Round(Math.Clamp(v, 0, 100), 1);
}
