using System.Globalization;

namespace NixFleet.OutputBench;

/// <summary>Command-line settings: <c>--name value</c> pairs, all but the credentials with defaults.</summary>
internal sealed record BenchOptions(Uri Url, string AgentToken, string Password, int LinesPerSecond, int Seconds, int Subscribers, int? DashboardPid, int WarmupSeconds)
{
    public const string Usage = "nixfleet-outputbench --agent-token T --password P [--url http://127.0.0.1:8000/] [--rate 10000] [--seconds 30] [--subscribers 20] [--warmup 10] [--pid DASHBOARD_PID]";

    public Uri WebSocketUrl => new UriBuilder(Url) { Scheme = Url.Scheme == "https" ? "wss" : "ws", Path = "/ws" }.Uri;

    public static BenchOptions Parse(string[] args)
    {
        var d = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"unexpected '{args[i]}'");
            d[args[i][2..]] = args[i + 1];
        }
        int Int(string k, int def) => d.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : def;
        return new BenchOptions(new Uri(d.GetValueOrDefault("url") ?? "http://127.0.0.1:8000/"),
            d.GetValueOrDefault("agent-token") ?? throw new ArgumentException("--agent-token is required"),
            d.GetValueOrDefault("password") ?? throw new ArgumentException("--password (the operator's) is required"),
            Int("rate", 10_000), Int("seconds", 30), Int("subscribers", 20),
            d.TryGetValue("pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null, Int("warmup", 10));
    }
}
