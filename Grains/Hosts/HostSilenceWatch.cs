using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>
/// One per silo: the fallback that takes a host offline when its socket's gateway went away without telling (a
/// node that died). The gateway's own sweeper closes silent sockets within a second, so this only catches what it
/// cannot, and one walk every few seconds replaces a timer in every host grain (10,000 timers at 10,000 hosts,
/// which the runtime's timer queue walked several times a second).
/// </summary>
public sealed partial class HostSilenceWatch(
    [FromKeyedServices(HostSilenceWatch.ClockKey)] TimeProvider clock, IGrainFactory grains, ILogger<HostSilenceWatch> logger) : BackgroundService
{
    internal static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Silence is wall-clock time, as in the gateway's sweeper, not the commands' clock that tests move by minutes;
    /// tests of the watch itself give it their clock under this key.
    /// </summary>
    public const string ClockKey = "nixfleet.silence-clock";

    private readonly ConcurrentDictionary<string, Watched> _hosts = new(StringComparer.Ordinal);

    /// <summary>One connection of one host; the grain notes each heartbeat here with a field write.</summary>
    public sealed class Watched(string connectionId, TimeSpan limit, TimeProvider clock)
    {
        private long _lastHeard = clock.GetTimestamp();
        public string ConnectionId { get; } = connectionId;
        public void Heard() => Volatile.Write(ref _lastHeard, clock.GetTimestamp());
        internal bool Silent => clock.GetElapsedTime(Volatile.Read(ref _lastHeard)) > limit;
    }

    internal int Count => _hosts.Count;

    public Watched Watch(string hostname, string connectionId, TimeSpan limit) =>
        _hosts[hostname] = new Watched(connectionId, limit, clock);

    public void Forget(string hostname, Watched? watched)
    {
        if (watched is not null) _hosts.TryRemove(KeyValuePair.Create(hostname, watched));
    }

    /// <summary>Tells each host silent for too long; the grain checks again and goes offline if it still is.</summary>
    internal async Task SweepAsync()
    {
        foreach (var (host, watched) in _hosts)
        {
            if (!watched.Silent) continue;
            try { await grains.GetGrain<IHostGrain>(host).SilentAsync(watched.ConnectionId); }
            catch (Exception e) when (e is not OperationCanceledException) { LogFailed(host, e.Message); }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await SweepAsync();
        }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(LogLevel.Warning, "Could not tell silent host {Host} to go offline: {Error}")]
    private partial void LogFailed(string host, string error);
}
