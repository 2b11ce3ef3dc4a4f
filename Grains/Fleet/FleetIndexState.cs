using NixFleet.Grains.Interfaces.Fleet;

namespace NixFleet.Grains.Fleet;

/// <summary>The whole fleet index as one row, as it was saved before pages (<see cref="FleetIndexPage"/>); read once to move it.</summary>
[GenerateSerializer, Alias("nixfleet.fleet-index-state")]
public sealed class FleetIndexState
{
    [Id(0)] public Dictionary<string, HostSummary> Hosts { get; set; } = new(StringComparer.Ordinal);
}
