using System.Threading.Channels;
using NixFleet.Grains.Interfaces;
using NixFleet.Grains.Interfaces.Fleet;
using Orleans.Streams;

namespace NixFleet.Web.Live;

/// <summary>
/// One per web node. Listens to the fleet's host-change stream, keeps the latest summary of every host, and once
/// a second sends every connected browser one message with all rows that changed: at most one update per row per
/// second, however often hosts heartbeat. Browsers that fall behind are dropped and re-sync when they reconnect.
/// Every change gets its own version and every browser has its own position, so a browser gets each change once:
/// a row it already has is never sent to it as new (which would replace the row and clear its checkbox).
/// </summary>
public sealed partial class FleetLiveHub(IClusterClient cluster, FleetRowRenderer renderer, ILogger<FleetLiveHub> logger) : BackgroundService
{
    internal static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private const int SubscriberBacklog = 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LiveHost> _hosts = new(StringComparer.Ordinal);
    // Each browser's channel and the version it has everything up to.
    private readonly Dictionary<Channel<string>, long> _subscribers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public int SubscriberCount { get { lock (_gate) return _subscribers.Count; } }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = cluster.GetStreamProvider(FleetStreams.Provider)
            .GetStream<HostChanges>(StreamId.Create(FleetStreams.HostChangesNamespace, FleetStreams.HostChangesKey));
        var subscription = await stream.SubscribeAsync((changes, _) => { Apply(changes); return Task.CompletedTask; });
        try
        {
            Apply(new HostChanges(await cluster.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync(), []));
            _ready.TrySetResult();
            using var timer = new PeriodicTimer(Tick);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await BroadcastAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogBroadcastFailed(e); // one bad tick must not end live updates for everyone
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            await subscription.UnsubscribeAsync();
            lock (_gate) foreach (var s in _subscribers.Keys) s.Writer.TryComplete();
        }
    }

    public Task WaitReadyAsync(CancellationToken ct) => _ready.Task.WaitAsync(ct);

    /// <summary>Every current summary and the version they are at, read together, for a page render.</summary>
    public (long Version, IReadOnlyList<HostSummary> Hosts) Page()
    {
        lock (_gate) return (_version, Current());
    }

    /// <summary>A browser connects: it gets the rows that changed after <paramref name="since"/>, then every tick's changes.</summary>
    public async Task<(string CatchUp, ChannelReader<string> Updates)> SubscribeAsync(long since, CancellationToken ct)
    {
        await _ready.Task.WaitAsync(ct);
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(SubscriberBacklog) { SingleReader = true });
        List<LiveHost> changed;
        IReadOnlyList<HostSummary> all;
        lock (_gate)
        {
            changed = Changed(since);
            all = Current();
            _subscribers[channel] = _version;
        }
        return (await renderer.RenderAsync(changed, since, all), channel.Reader);
    }

    public void Unsubscribe(ChannelReader<string> reader)
    {
        lock (_gate)
            foreach (var c in _subscribers.Keys.Where(c => c.Reader == reader).ToList()) _subscribers.Remove(c);
    }

    /// <summary>The current summaries, for a page render.</summary>
    public IReadOnlyList<HostSummary> Snapshot()
    {
        lock (_gate) return Current();
    }

    private IReadOnlyList<HostSummary> Current() =>
        _hosts.Values.Where(h => h.Summary is not null).Select(h => h.Summary!).OrderBy(h => h.Hostname, StringComparer.Ordinal).ToList();

    private List<LiveHost> Changed(long since) => _hosts.Values.Where(h => h.Version > since).ToList();

    private void Apply(HostChanges changes)
    {
        lock (_gate)
        {
            var next = ++_version;
            // A summary read off the stream is a fresh copy of every string and record in it: keep the instances
            // the hub already has where they are equal (ValueReuse), so only what changed outlives this batch.
            foreach (var s in changes.Updated)
                _hosts[s.Hostname] = _hosts.TryGetValue(s.Hostname, out var h) && h.Summary is not null
                    ? h with { Summary = ValueReuse.Keep(h.Summary, s), Version = next }
                    : new LiveHost(s.Hostname, s, next, next);
            foreach (var name in changes.Removed)
                if (_hosts.TryGetValue(name, out var h)) _hosts[name] = h with { Summary = null, Version = next };
        }
    }

    private async Task BroadcastAsync()
    {
        // Browsers behind the latest version, grouped by where they are (nearly always one group): one render each.
        List<(long Since, Channel<string>[] Targets, List<LiveHost> Changed)> groups;
        IReadOnlyList<HostSummary> all;
        lock (_gate)
        {
            groups = _subscribers.Where(s => s.Value < _version).GroupBy(s => s.Value)
                .Select(g => (g.Key, g.Select(s => s.Key).ToArray(), Changed(g.Key))).ToList();
            if (groups.Count == 0) return;
            foreach (var (_, targets, _) in groups)
                foreach (var t in targets) _subscribers[t] = _version;
            all = Current();
        }
        foreach (var (since, targets, changed) in groups)
        {
            var html = await renderer.RenderAsync(changed, since, all);
            foreach (var t in targets)
            {
                if (t.Writer.TryWrite(html)) continue;
                LogDropped(); // a browser that cannot keep up re-syncs on reconnect instead of slowing everyone
                t.Writer.TryComplete();
                lock (_gate) _subscribers.Remove(t);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Live fleet broadcast failed")]
    private partial void LogBroadcastFailed(Exception e);

    [LoggerMessage(LogLevel.Information, "Live fleet subscriber fell behind and was disconnected")]
    private partial void LogDropped();
}

/// <summary>A host as the hub knows it. <c>Summary</c> null means removed (kept so late browsers learn it).</summary>
public sealed record LiveHost(string Hostname, HostSummary? Summary, long Version, long CreatedVersion);
