using System.Globalization;
using System.Text.RegularExpressions;

namespace NixFleet.Agent.Metrics;

/// <summary>Parsers for macOS <c>sysctl</c>, <c>vm_stat</c> and <c>ps</c> output.</summary>
internal static partial class MacSysctl
{
    /// <summary><c>sysctl -n vm.loadavg</c>: "{ 1.52 1.61 1.70 }".</summary>
    public static double? ParseLoadAvg(string text) =>
        double.TryParse(text.Trim().Trim('{', '}').Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(),
            NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>RAM % used from <c>vm_stat</c> (active + wired + compressed pages) and <c>hw.memsize</c> bytes.</summary>
    public static double? ParseVmStat(string vmStat, string memSize)
    {
        if (!double.TryParse(memSize.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var total) || total <= 0) return null;
        var page = PageSize().Match(vmStat) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 4096;
        double Pages(string name)
        {
            var mm = Regex.Match(vmStat, "^" + Regex.Escape(name) + @":\s+(\d+)\.?", RegexOptions.Multiline);
            return mm.Success ? double.Parse(mm.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }
        var used = (Pages("Pages active") + Pages("Pages wired down") + Pages("Pages occupied by compressor")) * page;
        return LinuxProc.Round(100.0 * used / total);
    }

    /// <summary><c>sysctl -n vm.swapusage</c>: "total = 2048.00M  used = 512.00M  free = 1536.00M  (encrypted)".</summary>
    public static double? ParseSwapUsage(string text)
    {
        var t = SwapField().Match(text);
        if (!t.Success) return null;
        double Mb(string field) => Regex.Match(text, field + @"\s*=\s*([\d.]+)([KMG])") is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * (m.Groups[2].Value switch { "K" => 1.0 / 1024, "G" => 1024, _ => 1 })
            : 0;
        var total = Mb("total");
        return total > 0 ? LinuxProc.Round(100.0 * Mb("used") / total) : 0;
    }

    /// <summary><c>ps -A -o %cpu=</c>: per-process percentages of one core, summed and spread over all cores.</summary>
    public static double ParsePsCpu(string text, int cores)
    {
        var sum = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Sum(l => double.TryParse(l.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0);
        return LinuxProc.Round(sum / Math.Max(1, cores));
    }

    [GeneratedRegex(@"page size of (\d+) bytes")] private static partial Regex PageSize();
    [GeneratedRegex(@"total\s*=")] private static partial Regex SwapField();
}
