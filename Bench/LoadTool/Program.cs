using System.Diagnostics;
using System.Globalization;
using NixFleet.LoadTool;

// Simulates N agents against a running dashboard and reports registration time, dashboard CPU and RSS.
// With --mode rollout|dispatch: command fan-out instead (CommandBench.cs).
if (CommandBenchOptions.Wanted(args))
{
    try { return await CommandBench.RunAsync(CommandBenchOptions.Parse(args)); }
    catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
    {
        Console.Error.WriteLine($"nixfleet-loadtool: {e.Message}\nusage: {CommandBenchOptions.Usage}");
        return 2;
    }
}

LoadOptions options;
try { options = LoadOptions.Parse(args); }
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"nixfleet-loadtool: {e.Message}\nusage: {LoadOptions.Usage}");
    return 2;
}

var stats = new LoadStats { Target = options.Agents };
using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(options.DurationSeconds));
var slots = new SemaphoreSlim(options.ConnectConcurrency);
var drop = MassDrop.Parse(args);
var restartAt = Array.IndexOf(args, "--restart-at") is var ri and >= 0 ? double.Parse(args[ri + 1], CultureInfo.InvariantCulture) : (double?)null;
var recovery = new Recovery(options.Agents);
var agents = Enumerable.Range(0, options.Agents)
    .Select(i => Task.Run(() => new SimulatedAgent(i, options, stats, slots, drop).RunAsync(cts.Token))).ToList();

var dashboard = options.DashboardPid is not null || options.DashboardPidFile is not null ? new ProcessSampler(options.CurrentDashboardPid) : null;
var self = new ProcessSampler(() => Environment.ProcessId);
var samples = new List<(double At, int Online, double Cpu, long Rss)>();
Console.WriteLine("t_s\tonline\tdash_cpu_%\tdash_rss_mb\ttool_cpu_%");
while (!cts.IsCancellationRequested)
{
    try { await Task.Delay(1000, cts.Token); } catch (OperationCanceledException) { break; } // agents are stopping: not a sample
    var (cpu, rss) = dashboard?.Sample() ?? (double.NaN, 0);
    var (toolCpu, _) = self.Sample();
    samples.Add((stats.Elapsed, stats.Online, cpu, rss));
    if (drop.FireIfDue(stats.Elapsed))
    {
        recovery.MarkEvent(drop.At!.Value, stats.Registrations);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# dropped every agent's socket at {drop.At:0} s"));
    }
    if (restartAt is { } r && stats.Elapsed >= r)
    {
        recovery.MarkEvent(r, stats.Registrations);
        restartAt = null;
    }
    // Time from a drop (or the first sample below full strength, after all had registered) back to full strength.
    recovery.Sample(stats.Elapsed, stats.AllRegisteredAt is not null, stats.Online, stats.Registrations);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stats.Elapsed:0}\t{stats.Online}\t{cpu:0.0}\t{rss}\t{toolCpu:0.0}"));
}
await Task.WhenAll(agents);

// Steady state: from 10 s after every agent first registered to the end.
var steadyFrom = (stats.AllRegisteredAt ?? double.MaxValue) + 10;
var steady = samples.Where(s => s.At >= steadyFrom && !double.IsNaN(s.Cpu)).ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    agents {options.Agents}, interval {options.IntervalSeconds} s, sources {options.Sources}, duration {options.DurationSeconds} s
    all registered after: {(stats.AllRegisteredAt is { } t ? $"{t:0.0} s" : $"never ({stats.EverRegistered} of {options.Agents})")}
    online at end: {samples.LastOrDefault().Online}, disconnects: {stats.Disconnects}, commands answered: {stats.Commands}
    dashboard steady CPU: {(steady.Count > 0 ? $"{steady.Average(s => s.Cpu):0.0} % of one core over {steady.Count} s" : "n/a")}
    back to all {options.Agents} online after a drop: {recovery.Report()}
    dashboard RSS: end {samples.LastOrDefault().Rss} MB, peak {(samples.Count > 0 ? samples.Max(s => s.Rss) : 0)} MB
    """));
return stats.AllRegisteredAt is null ? 1 : 0;
