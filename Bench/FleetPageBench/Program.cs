using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Silo.Configuration;
using NixFleet.Web.Hosting;

// Fleet page benchmark: N hosts registered and heartbeating in their grains (agents are simulated at the grain
// boundary, so the figures are the page's and the live pipeline's, not the gateway's).
// Usage: dotnet run -c Release --project Bench/FleetPageBench -- [hosts=1000] [seconds=30] [interval=5]
var hosts = args.Length > 0 ? int.Parse(args[0]) : 1000;
var seconds = args.Length > 1 ? int.Parse(args[1]) : 30;
var interval = args.Length > 2 ? int.Parse(args[2]) : 5;
const string BenchPassword = "bench operator password";

var dir = Directory.CreateTempSubdirectory("nixfleet-bench-").FullName;
var port = FreePort();
var app = DashboardApp.Build(new NixFleetOptions
{
    Listen = new ListenAddress(IPAddress.Loopback, false, port),
    DataDir = dir,
    DbPath = Path.Combine(dir, "nixfleet.db"),
    LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
    // Known credentials (nothing generated or printed); the page needs a signed-in session.
    PasswordHash = BCrypt.Net.BCrypt.HashPassword(BenchPassword, 4),
    AgentToken = "bench-shared-agent-token-0123456789",
});
await app.StartAsync();
var grains = app.Services.GetRequiredService<IGrainFactory>();
var agentSide = new NullConnection(); // observers are held weakly by Orleans: keep the object alive
var connection = grains.CreateObjectReference<IAgentConnection>(agentSide);

Console.WriteLine($"registering {hosts} hosts…");
await Task.WhenAll(Enumerable.Range(0, hosts).Select(i => grains.GetGrain<IHostGrain>(Name(i))
    .RegisterAsync(Registration(Name(i)), "c" + i, connection)));
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") }; // keeps the session cookie
(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = BenchPassword }))).EnsureSuccessStatusCode();
while (!(await http.GetStringAsync("/")).Contains(Name(hosts - 1))) await Task.Delay(200);

// 1. server render time and HTML size of the fleet page
var times = new List<double>();
var size = 0;
for (var i = 0; i < 30; i++)
{
    var sw = Stopwatch.StartNew();
    var html = await http.GetStringAsync("/");
    times.Add(sw.Elapsed.TotalMilliseconds);
    size = html.Length;
}
times.Sort();
Console.WriteLine($"fleet page, {hosts} hosts: median {times[times.Count / 2]:0.0} ms, p95 {times[(int)(times.Count * 0.95)]:0.0} ms, {size / 1024.0:0} KiB HTML");

// 2. the live connection while every host heartbeats every `interval` seconds
var since = System.Text.RegularExpressions.Regex.Match(await http.GetStringAsync("/"), @"since=(\d+)").Groups[1].Value;
using var sse = await http.GetAsync("/live/fleet?since=" + since, HttpCompletionOption.ResponseHeadersRead);
var stream = await sse.Content.ReadAsStreamAsync();
long bytes = 0, messages = 0;
var reading = Task.Run(async () =>
{
    using var reader = new StreamReader(stream);
    while (await reader.ReadLineAsync() is { } line)
    {
        Interlocked.Add(ref bytes, line.Length + 1);
        if (line.StartsWith("event: ")) Interlocked.Increment(ref messages);
    }
});
await Task.Delay(1500); // let the catch-up message pass
Interlocked.Exchange(ref bytes, 0);
Interlocked.Exchange(ref messages, 0);

var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
var rnd = new Random(1);
var beats = 0L;
while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
{
    // spread each round of heartbeats over the interval, as real agents do
    var round = Stopwatch.StartNew();
    for (var i = 0; i < hosts; i++)
    {
        _ = grains.GetGrain<IHostGrain>(Name(i)).HeartbeatAsync(Heartbeat(rnd.NextDouble() * 100), "c" + i);
        beats++;
        var due = TimeSpan.FromSeconds(interval) * (i + 1) / hosts;
        if (due > round.Elapsed) await Task.Delay(due - round.Elapsed);
    }
}
var elapsed = clock.Elapsed.TotalSeconds;
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
Console.WriteLine($"live connection: {messages / elapsed:0.00} messages/s, {bytes / elapsed / 1024:0.0} KiB/s for {beats / elapsed:0} heartbeats/s ({hosts} hosts every {interval} s)");
Console.WriteLine($"process CPU while heartbeating (dashboard + this driver): {cpu / elapsed * 100:0}% of one core");

GC.KeepAlive(agentSide);
await app.StopAsync();
Directory.Delete(dir, true);
return;

static string Name(int i) => $"host-{i:D4}";

static HostRegistration Registration(string name) => new(name, "nixos", "2.4.0", "25.05", "25.05", "abc1234", "#7aa2f7", 5,
    "home", "server", "", "/var/lib/nixfleet-agent/repo", new AgentBinary(null, null, null), []);

static HostHeartbeat Heartbeat(double cpu) => new("abc1234", "25.05", null, null, new HostMetrics(cpu, 40, 1, 0.3),
    null, new AgentBinary(null, null, null), null);

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

/// <summary>The agent side of the simulated hosts: commands would go nowhere, and none are sent.</summary>
sealed class NullConnection : IAgentConnection
{
    public Task SendAsync(AgentInstruction instruction) => Task.CompletedTask;
    public Task CloseAsync(int closeCode, string reason) => Task.CompletedTask;
}
