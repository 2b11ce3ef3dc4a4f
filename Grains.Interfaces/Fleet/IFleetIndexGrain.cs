namespace NixFleet.Grains.Interfaces.Fleet;

/// <summary>"All hosts" for the dashboard, without activating every host grain. A single grain, key <see cref="Key"/>.</summary>
public interface IFleetIndexGrain : IGrainWithStringKey
{
    const string Key = "fleet";

    /// <summary>Applies a batch from the fleet events grains.</summary>
    Task ApplyAsync(HostChanges changes);

    Task RemoveAsync(string hostname);

    Task<IReadOnlyList<HostSummary>> ListAsync();
}
