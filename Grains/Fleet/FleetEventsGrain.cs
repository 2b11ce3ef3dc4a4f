using NixFleet.Grains.Interfaces.Fleet;
using Orleans.Concurrency;

namespace NixFleet.Grains.Fleet;

/// <summary>
/// One per silo. Keeps only the latest change of each host and flushes every <see cref="FlushEvery"/>:
/// one call to the fleet index and one stream event per batch, however many hosts heartbeat.
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed class FleetEventsGrain : Grain, IFleetEventsGrain
{
    internal static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(250);

    private Dictionary<string, HostSummary?> _pending = new(StringComparer.Ordinal);
    private Task _flushing = Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => FlushAsync(), FlushEvery, FlushEvery);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    public Task HostChangedAsync(HostSummary summary)
    {
        _pending[summary.Hostname] = summary;
        return Task.CompletedTask;
    }

    public Task HostRemovedAsync(string hostname)
    {
        _pending[hostname] = null;
        return FlushAsync(); // removal is rare and should be seen at once
    }

    private Task FlushAsync()
    {
        if (_flushing.IsCompleted) _flushing = FlushPendingAsync();
        return _flushing;
    }

    private async Task FlushPendingAsync()
    {
        while (_pending.Count > 0)
        {
            var batch = _pending;
            _pending = new Dictionary<string, HostSummary?>(StringComparer.Ordinal);
            var changes = new HostChanges(
                batch.Values.OfType<HostSummary>().ToList(),
                batch.Where(p => p.Value is null).Select(p => p.Key).ToList());
            await GrainFactory.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ApplyAsync(changes);
            await this.GetStreamProvider(FleetStreams.Provider).GetStream<HostChanges>(StreamId.Create(FleetStreams.HostChangesNamespace, FleetStreams.HostChangesKey)).OnNextAsync(changes);
        }
    }
}
