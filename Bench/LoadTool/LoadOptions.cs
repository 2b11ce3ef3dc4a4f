using System.Globalization;
using System.Net;

namespace NixFleet.LoadTool;

/// <summary>Command-line settings: <c>--name value</c> pairs, all with defaults.</summary>
internal sealed record LoadOptions(Uri Url, string Token, int Agents, int IntervalSeconds, int Sources, int DurationSeconds, int? DashboardPid, string? DashboardPidFile, int ConnectConcurrency)
{
    public const string Usage = "nixfleet-loadtool --token T [--url ws://127.0.0.1:8000/ws] [--agents 10000] [--interval 5] [--sources 8] [--duration 60] [--pid DASHBOARD_PID | --pid-file FILE] [--concurrency 200] [--drop-at S] [--restart-at S]";

    /// <summary>The dashboard's pid now: from the pid file (re-read, so a restarted dashboard is followed) or --pid.</summary>
    public int? CurrentDashboardPid()
    {
        if (DashboardPidFile is null) return DashboardPid;
        try { return int.Parse(File.ReadAllText(DashboardPidFile).Trim(), CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is IOException or FormatException) { return null; }
    }

    public IPAddress Source(int agent) => new([127, 0, 0, (byte)(2 + agent % Sources)]);

    public static LoadOptions Parse(string[] args)
    {
        var d = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected '{args[i]}'");
            d[args[i][2..]] = args[i + 1];
        }
        int Int(string k, int def) => d.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : def;
        var token = d.GetValueOrDefault("token") ?? Environment.GetEnvironmentVariable("NIXFLEET_TOKEN")
            ?? throw new ArgumentException("--token (or NIXFLEET_TOKEN) is required");
        return new LoadOptions(new Uri(d.GetValueOrDefault("url") ?? "ws://127.0.0.1:8000/ws"), token, Int("agents", 10000),
            Int("interval", 5), Math.Clamp(Int("sources", 8), 1, 250), Int("duration", 60),
            d.TryGetValue("pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null, d.GetValueOrDefault("pid-file"),
            Int("concurrency", 200));
    }
}
