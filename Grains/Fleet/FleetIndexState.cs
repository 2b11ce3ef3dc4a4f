using NixFleet.Grains.Interfaces.Fleet;

namespace NixFleet.Grains.Fleet;

[GenerateSerializer, Alias("nixfleet.fleet-index-state")]
public sealed class FleetIndexState
{
    [Id(0)] public Dictionary<string, HostSummary> Hosts { get; set; } = new(StringComparer.Ordinal);
}
