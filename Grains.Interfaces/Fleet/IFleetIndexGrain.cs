namespace NixFleet.Grains.Interfaces.Fleet;

/// <summary>"All hosts" for the dashboard, without activating every host grain. A single grain, key <see cref="Key"/>.</summary>
public interface IFleetIndexGrain : IGrainWithStringKey
{
    const string Key = "fleet";

    Task UpsertAsync(HostSummary summary);

    Task RemoveAsync(string hostname);

    Task<IReadOnlyList<HostSummary>> ListAsync();
}
