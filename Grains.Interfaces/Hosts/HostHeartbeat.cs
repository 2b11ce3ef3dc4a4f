namespace NixFleet.Grains.Interfaces.Hosts;

/// <summary>One heartbeat: what changes every few seconds.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.host-heartbeat")]
public sealed record HostHeartbeat(
    [property: Id(0)] string? Generation,
    [property: Id(1)] string? NixpkgsVersion,
    [property: Id(2)] string? PendingCommand,
    [property: Id(3)] int? CommandPid,
    [property: Id(4)] HostMetrics? Metrics,
    [property: Id(5)] StatusCompartments? Compartments,
    [property: Id(6)] AgentBinary Binary,
    [property: Id(7)] string? LockHash);

[GenerateSerializer, Immutable, Alias("nixfleet.host-metrics")]
public sealed record HostMetrics(
    [property: Id(0)] double Cpu,
    [property: Id(1)] double Ram,
    [property: Id(2)] double Swap,
    [property: Id(3)] double Load);
