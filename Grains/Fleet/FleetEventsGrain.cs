using NixFleet.Grains.Interfaces.Fleet;
using Orleans.Concurrency;

namespace NixFleet.Grains.Fleet;

/// <summary>
/// One per silo. Every <see cref="FlushEvery"/> takes what is due from the silo's <see cref="FleetChangeBuffer"/>:
/// one call to the fleet index and one stream event per batch, however many hosts heartbeat. Host grains write
/// into the buffer directly and call this grain only to wake it (once per batch, not once per heartbeat).
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed class FleetEventsGrain(FleetChangeBuffer buffer) : Grain, IFleetEventsGrain
{
    internal static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(250);
    // Summaries per stream event: small enough that no part of its serialization lands on the large object heap.
    internal const int EventSize = 50;

    private Task _flushing = Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => FlushAsync(), FlushEvery, FlushEvery);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    public Task HostChangedAsync(HostSummary summary)
    {
        buffer.Put(summary);
        return Task.CompletedTask;
    }

    public Task HostRemovedAsync(string hostname)
    {
        buffer.Remove(hostname);
        return FlushAsync(); // removal is rare and should be seen at once
    }

    private Task FlushAsync()
    {
        if (_flushing.IsCompleted) _flushing = FlushPendingAsync();
        return _flushing;
    }

    private async Task FlushPendingAsync()
    {
        var index = GrainFactory.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key);
        var stream = this.GetStreamProvider(FleetStreams.Provider)
            .GetStream<HostChanges>(StreamId.Create(FleetStreams.HostChangesNamespace, FleetStreams.HostChangesKey));
        while (buffer.Take(Environment.TickCount64) is { } changes)
        {
            foreach (var part in changes.Split(EventSize))
            {
                await index.ApplyAsync(part);
                await stream.OnNextAsync(part);
            }
        }
    }
}
