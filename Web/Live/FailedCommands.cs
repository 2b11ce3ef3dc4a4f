using NixFleet.Grains.Interfaces.Commands;
using Orleans.Streams;

namespace NixFleet.Web.Live;

/// <summary>
/// The fleet page's "failed (24 h)" counter: commands that ended failed or timed out in the last day, heard on the
/// all-hosts command-events stream. Kept in memory per web node, so it counts from this node's start.
/// </summary>
public sealed class FailedCommands(IClusterClient cluster, TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _failed = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            var since = clock.GetUtcNow() - Window;
            lock (_gate)
            {
                foreach (var old in _failed.Where(kv => kv.Value < since).Select(kv => kv.Key).ToList()) _failed.Remove(old);
                return _failed.Count;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = cluster.GetStreamProvider(CommandStreams.Provider)
            .GetStream<CommandEvent>(StreamId.Create(CommandStreams.Events, CommandStreams.AllHosts));
        var handle = await stream.SubscribeAsync((e, _) => { Observe(e); return Task.CompletedTask; });
        try { await Task.Delay(Timeout.Infinite, stoppingToken); }
        catch (OperationCanceledException) { }
        finally { await handle.UnsubscribeAsync(); }
    }

    public void Observe(CommandEvent e)
    {
        if (e.Kind != CommandEvent.State || e.Command.Phase is not (CommandPhase.Failed or CommandPhase.TimedOut)) return;
        lock (_gate) _failed[e.Command.Id] = e.Command.EndedAt ?? e.At; // keyed by id: a repeated event counts once
    }
}
