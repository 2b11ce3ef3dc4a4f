namespace NixFleet.Grains.Interfaces.Fleet;

/// <summary>
/// Collects host changes on each silo and hands them on in batches (to the fleet index and the
/// <see cref="FleetStreams.HostChanges"/> stream), so thousands of heartbeats cost a few messages a second.
/// </summary>
public interface IFleetEventsGrain : IGrainWithIntegerKey
{
    Task HostChangedAsync(HostSummary summary);

    Task HostRemovedAsync(string hostname);
}
