using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using NixFleet.OutputBench;

// Output benchmark: one agent prints --rate lines/s for --seconds while --subscribers browsers follow the command
// over SSE. Checks every subscriber got every line once in order; reports line latency and the dashboard's memory.
BenchOptions o;
try { o = BenchOptions.Parse(args); }
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"nixfleet-outputbench: {e.Message}\nusage: {BenchOptions.Usage}");
    return 2;
}
var total = o.LinesPerSecond * o.Seconds;
using var http = await OperatorSession.SignInAsync(o.Url, o.Password);
var hostname = $"outbench-{Guid.NewGuid().ToString("N")[..6]}";
await using var agent = new PrintingAgent(o, hostname);
await agent.ConnectAsync();

// A warm-up command first (same rate and subscribers, not measured): the dashboard's code is compiled and tuned
// while it runs (tiered JIT), which a dashboard that has been up for a while has long done. --warmup 0 measures cold.
if (o.WarmupSeconds > 0)
{
    Console.WriteLine($"warm-up: {o.LinesPerSecond * o.WarmupSeconds:N0} lines over {o.WarmupSeconds} s, not measured");
    await RunCommandAsync(o.LinesPerSecond * o.WarmupSeconds, null);
}
var samples = new List<(double At, long RssMb, double Cpu)>();
Console.WriteLine($"{hostname}: printing {total:N0} lines at {o.LinesPerSecond:N0}/s to {o.Subscribers} subscribers");
var (subscribers, printed, endAfter) = await RunCommandAsync(total, samples);

var all = new LatencyHistogram();
foreach (var s in subscribers) all.AddAll(s.Latency);
var complete = subscribers.Count(s => s.Ended && s.Lines == total && s.OrderErrors == 0 && s.LastSeq == total);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    printed {total:N0} lines in {printed.TotalSeconds:0.0} s ({total / printed.TotalSeconds:N0} lines/s); all subscribers had the end {endAfter.TotalMilliseconds:0} ms after the last line was sent
    subscribers complete and in order: {complete} of {o.Subscribers}{string.Concat(subscribers.Where(s => s.Lines != total || s.OrderErrors > 0).Select(s => $"\n  #{s.Index}: {s.Lines} lines, {s.OrderErrors} order errors, ended {s.Ended}"))}
    SSE events per subscriber: {subscribers.Average(s => s.Events):0} ({total / Math.Max(1, subscribers.Average(s => s.Events)):0} lines per event)
    line latency (agent send -> subscriber read), {all.Count:N0} lines: p50 {all.Percentile(0.50):0.0} ms, p90 {all.Percentile(0.90):0.0} ms, p99 {all.Percentile(0.99):0.0} ms, max {all.Max:0.0} ms
    """));
if (samples.Count > 0)
{
    Console.WriteLine("dashboard RSS (MB) and CPU (% of one core) each second:");
    Console.WriteLine(string.Join(" ", samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.RssMb}/{s.Cpu:0}"))));
    var during = samples.Where(s => s.At <= printed.TotalSeconds + 1).ToList();
    var half = during.Count / 2;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"dashboard RSS: first {during.FirstOrDefault().RssMb} MB, mean of first half {during.Take(half).DefaultIfEmpty().Average(s => s.RssMb):0}, second half {during.Skip(half).DefaultIfEmpty().Average(s => s.RssMb):0}, peak {samples.Max(s => s.RssMb)} MB; mean CPU {during.DefaultIfEmpty().Average(s => s.Cpu):0} %"));
}
return complete == o.Subscribers ? 0 : 1;

// One command: submitted through the API, followed by every subscriber, printed by the agent, ended with status ok.
async Task<(List<SseSubscriber> Subscribers, TimeSpan Printed, TimeSpan EndAfter)> RunCommandAsync(int lines, List<(double At, long RssMb, double Cpu)>? samples)
{
    // The host is known once its registration went through: until then a command is refused as offline.
    string commandId;
    while (true)
    {
        using var r = await http.PostAsJsonAsync($"/api/hosts/{hostname}/commands", new { command = "test" });
        if ((int)r.StatusCode == 202) { commandId = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!; break; }
        await Task.Delay(100);
    }
    var received = await agent.NextCommandAsync(TimeSpan.FromSeconds(30));
    if (received != commandId) throw new InvalidOperationException($"agent got {received}, expected {commandId}");

    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(lines / o.LinesPerSecond * 3 + 120));
    var subscribers = Enumerable.Range(0, o.Subscribers).Select(i => new SseSubscriber(i)).ToList();
    var connected = subscribers.Select(_ => new TaskCompletionSource()).ToList();
    var following = subscribers.Select((s, i) => Task.Run(() => s.RunAsync(http, commandId, connected[i], cts.Token))).ToList();
    await Task.WhenAll(connected.Select(c => c.Task));
    await Task.Delay(500); // every subscriber is past its (empty) catch-up and on the live tail

    var sampling = Task.Run(async () =>
    {
        if (samples is null || o.DashboardPid is not { } pid) return;
        var clock = Stopwatch.StartNew();
        var lastCpu = CpuSeconds(pid);
        var lastAt = clock.Elapsed.TotalSeconds;
        while (!cts.IsCancellationRequested && !following.All(f => f.IsCompleted))
        {
            await Task.Delay(1000);
            var (cpu, at) = (CpuSeconds(pid), clock.Elapsed.TotalSeconds);
            lock (samples) samples.Add((at, RssMb(pid), (cpu - lastCpu) / (at - lastAt) * 100));
            (lastCpu, lastAt) = (cpu, at);
        }
    });
    var printed = await agent.PrintAsync(commandId, lines, o.LinesPerSecond);
    await agent.FinishAsync(commandId);
    var sentAll = Stopwatch.StartNew();
    await Task.WhenAll(following);
    var endAfter = sentAll.Elapsed;
    await sampling;
    return (subscribers, printed, endAfter);
}

static double CpuSeconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
}

static long RssMb(int pid) =>
    File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();
