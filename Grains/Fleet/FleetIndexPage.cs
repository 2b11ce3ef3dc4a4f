using NixFleet.Grains.Interfaces.Fleet;

namespace NixFleet.Grains.Fleet;

/// <summary>One stored page of the fleet index (<see cref="FleetIndexPages"/>).</summary>
[GenerateSerializer, Alias("nixfleet.fleet-index-page")]
public sealed class FleetIndexPage
{
    [Id(0)] public List<HostSummary> Hosts { get; set; } = [];
}
