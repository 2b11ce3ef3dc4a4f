using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Interfaces.Fleet;

/// <summary>One row of the fleet table, kept by the fleet index so listing never wakes host grains.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.host-summary")]
public sealed record HostSummary(
    [property: Id(0)] string Hostname,
    [property: Id(1)] string HostType,
    [property: Id(2)] string Location,
    [property: Id(3)] string DeviceType,
    [property: Id(4)] string ThemeColor,
    [property: Id(5)] bool Online,
    [property: Id(6)] DateTimeOffset? LastSeen,
    [property: Id(7)] string? Generation,
    [property: Id(8)] string? AgentVersion,
    [property: Id(9)] HostMetrics? Metrics,
    [property: Id(10)] StatusCompartments Compartments,
    [property: Id(11)] string? PendingCommand);
