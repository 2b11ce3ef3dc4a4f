using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

public sealed partial class HostGrain
{
    private readonly MetricsHistory _metrics = new();

    public Task<IReadOnlyList<MetricSample>> GetMetricsAsync() => Task.FromResult(_metrics.Since(clock.GetUtcNow()));
}
