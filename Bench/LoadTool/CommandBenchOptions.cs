using System.Globalization;

namespace NixFleet.LoadTool;

/// <summary>
/// Settings of the command modes (<c>--mode rollout</c> and <c>--mode dispatch</c>): <c>--name value</c> pairs.
/// The operator's password signs in to the API; agents use the shared agent token.
/// </summary>
internal sealed record CommandBenchOptions(string Mode, Uri Url, string Token, string Password, int Agents, int Sources, int IntervalSeconds,
    int ConnectConcurrency, int DispatchConcurrency, string Prefix, int? DashboardPid, int Warmups)
{
    public const string Usage = "nixfleet-loadtool --mode rollout|dispatch --token AGENT_TOKEN --password OPERATOR_PASSWORD [--url ws://127.0.0.1:8000/ws] [--agents 1000] [--sources 8] [--interval 30] [--concurrency 200] [--dispatch-concurrency 1] [--prefix cmdbench] [--warmup 1] [--pid DASHBOARD_PID]";

    public Uri HttpBase => new UriBuilder(Url) { Scheme = Url.Scheme == "wss" ? "https" : "http", Path = "/" }.Uri;

    public string Host(int i) => $"{Prefix}-{i:00000}";

    public static bool Wanted(string[] args) => args.Contains("--mode");

    public static CommandBenchOptions Parse(string[] args)
    {
        var d = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"unexpected '{args[i]}'");
            d[args[i][2..]] = args[i + 1];
        }
        int Int(string k, int def) => d.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : def;
        var mode = d["mode"];
        if (mode is not ("rollout" or "dispatch")) throw new ArgumentException("--mode is rollout or dispatch");
        return new CommandBenchOptions(mode, new Uri(d.GetValueOrDefault("url") ?? "ws://127.0.0.1:8000/ws"),
            d.GetValueOrDefault("token") ?? Environment.GetEnvironmentVariable("NIXFLEET_TOKEN") ?? throw new ArgumentException("--token (or NIXFLEET_TOKEN) is required"),
            d.GetValueOrDefault("password") ?? throw new ArgumentException("--password (the operator's, for the API) is required"),
            Int("agents", 1000), Math.Clamp(Int("sources", 8), 1, 250), Int("interval", 30), Int("concurrency", 200),
            Math.Max(1, Int("dispatch-concurrency", 1)), d.GetValueOrDefault("prefix") ?? "cmdbench",
            d.TryGetValue("pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null, Math.Max(0, Int("warmup", 1)));
    }
}
