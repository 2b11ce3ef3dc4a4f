namespace NixFleet.Grains.Interfaces.Fleet;

/// <summary>
/// Collects host changes on each silo and hands them on in batches (to the fleet index and the
/// <see cref="FleetStreams.HostChanges"/> stream), so thousands of heartbeats cost a few messages a second.
/// Host grains on the same silo leave their changes in its in-process buffer and call this only to wake it.
/// </summary>
public interface IFleetEventsGrain : IGrainWithIntegerKey
{
    Task HostChangedAsync(HostSummary summary);

    Task HostRemovedAsync(string hostname);
}
