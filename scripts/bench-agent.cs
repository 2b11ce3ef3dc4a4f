#:sdk Microsoft.NET.Sdk.Web
#:property TargetFramework=net10.0
#:property PublishAot=false
// Agent idle benchmark (not a test): serves /ws on loopback like the dashboard (registered + acks),
// runs the given agent binary with a 5 s heartbeat, and samples its RSS and CPU time from /proc.
// usage: dotnet run scripts/bench-agent.cs -- /path/to/nixfleet-agent [minutes]
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

var agentPath = args.Length > 0 ? args[0] : throw new ArgumentException("agent binary path required");
var minutes = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
var port = 20000 + Random.Shared.Next(20000);
var beats = 0;

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Logging.ClearProviders();
var app = builder.Build();
app.UseWebSockets();
app.Map("/ws", async (HttpContext http) =>
{
    using var ws = await http.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[1 << 20];
    while (ws.State == WebSocketState.Open)
    {
        var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
        if (r.MessageType == WebSocketMessageType.Close) break;
        var text = Encoding.UTF8.GetString(buffer, 0, r.Count);
        if (text.Contains("\"type\":\"register\""))
            await ws.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"registered\",\"payload\":{\"host_id\":\"bench\"}}"), WebSocketMessageType.Text, true, CancellationToken.None);
        if (text.Contains("\"type\":\"heartbeat\"")) Interlocked.Increment(ref beats);
    }
});
await app.StartAsync();

var state = Directory.CreateTempSubdirectory("nixfleet-bench-").FullName;
var repo = Path.Combine(state, "repo");
Process.Start("git", ["init", "-q", repo])!.WaitForExit();
var psi = new ProcessStartInfo(agentPath) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
psi.Environment["NIXFLEET_URL"] = $"ws://127.0.0.1:{port}/ws";
psi.Environment["NIXFLEET_TOKEN"] = "bench";
psi.Environment["NIXFLEET_HOSTNAME"] = "bench";
psi.Environment["NIXFLEET_REPO_DIR"] = repo;
psi.Environment["NIXFLEET_STATE_DIR"] = state;
psi.Environment["NIXFLEET_INTERVAL"] = "5";
psi.Environment["NIXFLEET_NIXPKGS_VERSION"] = "bench";
using var agent = Process.Start(psi)!;
agent.ErrorDataReceived += (_, _) => { };
agent.BeginErrorReadLine();
agent.BeginOutputReadLine();

long ticksPerSecond = 100; // USER_HZ on Linux
(double RssMb, double CpuSeconds) Sample()
{
    var rssKb = File.ReadAllLines($"/proc/{agent.Id}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    var stat = File.ReadAllText($"/proc/{agent.Id}/stat");
    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (double.Parse(rssKb) / 1024, (double.Parse(f[11]) + double.Parse(f[12])) / ticksPerSecond);
}

await Task.Delay(TimeSpan.FromSeconds(30)); // start-up and first heartbeats are not "idle"
var start = Sample();
var startTime = Stopwatch.StartNew();
var maxRss = start.RssMb;
while (startTime.Elapsed < TimeSpan.FromMinutes(minutes))
{
    await Task.Delay(TimeSpan.FromSeconds(5));
    var now = Sample();
    maxRss = Math.Max(maxRss, now.RssMb);
    if ((int)startTime.Elapsed.TotalSeconds % 60 < 5) Console.WriteLine($"  {startTime.Elapsed.TotalMinutes:0} min: RSS {now.RssMb:0.0} MB");
}
var end = Sample();
var hours = startTime.Elapsed.TotalHours;
Console.WriteLine($"agent: {agentPath}");
Console.WriteLine($"idle window: {startTime.Elapsed.TotalMinutes:0.0} min, heartbeats received: {beats}");
Console.WriteLine($"RSS: {end.RssMb:0.0} MB at end, {maxRss:0.0} MB max");
Console.WriteLine($"CPU: {end.CpuSeconds - start.CpuSeconds:0.00} s in window = {(end.CpuSeconds - start.CpuSeconds) / hours:0.0} s per hour");
agent.Kill();
await app.StopAsync();
Directory.Delete(state, true);
