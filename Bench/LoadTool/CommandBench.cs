using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NixFleet.LoadTool;

/// <summary>
/// The command modes. <c>rollout</c>: one rollout of <c>test</c> over every agent, batch 100 %, no canary; the time
/// from sending <c>POST /api/rollouts</c> to each agent holding its <c>command</c> frame. <c>dispatch</c>: one command
/// per host through <c>POST /api/hosts/{id}/commands</c>; the time from each request to its agent's frame.
/// Both wait for every command to end (the agents answer <c>status ok</c>) and report what ended how.
/// </summary>
internal static class CommandBench
{
    public static async Task<int> RunAsync(CommandBenchOptions o)
    {
        using var api = await OperatorApi.SignInAsync(o.HttpBase, o.Password);
        using var stop = new CancellationTokenSource();
        var slots = new SemaphoreSlim(o.ConnectConcurrency);
        var agents = Enumerable.Range(0, o.Agents).Select(i => new CommandAgent(i, o)).ToList();
        var running = agents.Select(a => Task.Run(() => a.RunAsync(slots, stop.Token))).ToList();

        var clock = Stopwatch.StartNew();
        var names = agents.Select(a => a.Hostname).ToList();
        for (var online = 0; online < o.Agents;)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"only {online} of {o.Agents} agents online after 5 min");
            await Task.Delay(1000);
            var known = await api.OnlineHostsAsync();
            online = names.Count(known.Contains);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:0}s\t{online} online"));
        }
        await Task.Delay(TimeSpan.FromSeconds(3)); // registration writes settle before the clock starts

        // Unmeasured rounds first, the same as the measured one: the dashboard's code is compiled and tuned while it
        // runs (tiered JIT), which a dashboard that has been up for a while has long done. --warmup 0 measures cold.
        for (var w = 0; w < o.Warmups; w++)
        {
            var (warm, _) = await RunModeAsync(api, o, agents);
            var warmEnded = await EndedAsync(api, agents);
            Console.WriteLine($"warm-up round {w + 1}: {warm.Count} of {o.Agents} got their command; ended {string.Join(", ", warmEnded.Select(kv => $"{kv.Key} {kv.Value}"))}");
        }
        var dashboard = o.DashboardPid is { } pid ? new ProcessSampler(() => pid) : null;
        dashboard?.Sample();
        var (latencies, extra) = await RunModeAsync(api, o, agents);
        var (cpu, rss) = dashboard?.Sample() ?? (double.NaN, 0);
        var ended = await EndedAsync(api, agents);

        stop.Cancel();
        await Task.WhenAll(running);
        latencies.Sort();
        double P(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * p) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            mode {o.Mode}, agents {o.Agents}{(o.Mode == "dispatch" ? $", dispatch concurrency {o.DispatchConcurrency}" : "")}
            agents that got their command: {latencies.Count} of {o.Agents}; dropped connections: {agents.Count(a => a.Dropped)}
            request -> agent latency: p50 {P(0.50):0.0} ms, p90 {P(0.90):0.0} ms, p99 {P(0.99):0.0} ms, max {P(1):0.0} ms
            {extra}
            commands ended: {string.Join(", ", ended.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}
            dashboard during the run: CPU {cpu:0} % of one core, RSS {rss} MB
            """));
        return latencies.Count == o.Agents && ended.GetValueOrDefault("succeeded") == o.Agents ? 0 : 1;
    }

    private static Task<(List<double>, string)> RunModeAsync(OperatorApi api, CommandBenchOptions o, List<CommandAgent> agents) =>
        o.Mode == "rollout" ? RolloutAsync(api, agents) : DispatchAsync(api, o, agents);

    private static async Task<(List<double>, string)> RolloutAsync(OperatorApi api, List<CommandAgent> agents)
    {
        var before = agents.ToDictionary(a => a, a => a.Commands);
        var t0 = Stopwatch.GetTimestamp();
        var started = await api.PostAsync("/api/rollouts", new { command = "test", hosts = agents.Select(a => a.Hostname).ToList(), batch_size = "100%", canary = false });
        var answered = Stopwatch.GetElapsedTime(t0);
        await WaitAsync(() => agents.All(a => a.Commands > before[a]), TimeSpan.FromSeconds(60));
        var latencies = agents.Where(a => a.Commands > before[a]).Select(a => Stopwatch.GetElapsedTime(t0, a.LastCommandAt).TotalMilliseconds).ToList();

        var id = started.GetProperty("id").GetString();
        JsonElement view = default;
        await WaitAsync(async () => (view = await api.GetAsync($"/api/rollouts/{id}")).GetProperty("status").GetString() != "running", TimeSpan.FromMinutes(3));
        var done = Stopwatch.GetElapsedTime(t0);
        return (latencies, string.Create(CultureInfo.InvariantCulture,
            $"POST /api/rollouts answered after {answered.TotalMilliseconds:0} ms; rollout {view.GetProperty("status").GetString()} after {done.TotalSeconds:0.00} s: {view.GetProperty("message").GetString()}"));
    }

    private static async Task<(List<double>, string)> DispatchAsync(OperatorApi api, CommandBenchOptions o, List<CommandAgent> agents)
    {
        var latencies = new ConcurrentBag<double>();
        var requests = new ConcurrentBag<double>();
        var all = Stopwatch.StartNew();
        await Parallel.ForEachAsync(agents, new ParallelOptions { MaxDegreeOfParallelism = o.DispatchConcurrency }, async (a, _) =>
        {
            var before = a.Commands;
            var t0 = Stopwatch.GetTimestamp();
            await api.PostAsync($"/api/hosts/{a.Hostname}/commands", new { command = "test" });
            requests.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            var deadline = Stopwatch.StartNew();
            while (a.Commands == before && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(1);
            if (a.Commands > before) latencies.Add(Stopwatch.GetElapsedTime(t0, a.LastCommandAt).TotalMilliseconds);
        });
        var sorted = requests.Order().ToList();
        return ([.. latencies], string.Create(CultureInfo.InvariantCulture,
            $"API answer (202) p50 {sorted[sorted.Count / 2]:0.0} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:0.0} ms; {agents.Count} dispatches in {all.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>How each host's latest command ended, once every one has ended (or after a minute).</summary>
    private static async Task<Dictionary<string, int>> EndedAsync(OperatorApi api, List<CommandAgent> agents)
    {
        var phases = new ConcurrentDictionary<string, string>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await Parallel.ForEachAsync(agents.Where(a => !phases.TryGetValue(a.Hostname, out var p) || p is "queued" or "dispatched" or "running"),
                new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (a, _) =>
                {
                    var page = await api.GetAsync($"/api/hosts/{a.Hostname}/commands?limit=1");
                    var items = page.GetProperty("items");
                    phases[a.Hostname] = items.GetArrayLength() == 0 ? "none" : items[0].GetProperty("phase").GetString()!;
                });
            if (phases.Values.All(p => p is not ("queued" or "dispatched" or "running")) || deadline.Elapsed > TimeSpan.FromMinutes(1))
                return phases.Values.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
            await Task.Delay(500);
        }
    }

    private static Task WaitAsync(Func<bool> done, TimeSpan timeout) => WaitAsync(() => Task.FromResult(done()), timeout);

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await done() && clock.Elapsed < timeout) await Task.Delay(10);
    }
}
