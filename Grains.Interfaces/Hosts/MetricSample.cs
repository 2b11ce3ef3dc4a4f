namespace NixFleet.Grains.Interfaces.Hosts;

/// <summary>One heartbeat's metrics with the time they arrived.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.metric-sample")]
public sealed record MetricSample(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] HostMetrics Metrics);
