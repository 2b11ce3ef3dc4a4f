using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>
/// The last hour of a host's metrics, in memory only: it is for a glance at the host page, and writing
/// it to storage would cost a write per heartbeat. Samples closer than <see cref="MinSpacing"/> are merged.
/// </summary>
internal sealed class MetricsHistory
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinSpacing = TimeSpan.FromSeconds(5);
    private readonly Queue<MetricSample> _samples = new();
    private DateTimeOffset _lastAt = DateTimeOffset.MinValue;

    public void Add(DateTimeOffset at, HostMetrics metrics)
    {
        while (_samples.TryPeek(out var oldest) && at - oldest.At > Window) _samples.Dequeue();
        if (at - _lastAt < MinSpacing) return;
        _samples.Enqueue(new MetricSample(at, metrics));
        _lastAt = at;
    }

    public IReadOnlyList<MetricSample> Since(DateTimeOffset now) => _samples.Where(s => now - s.At <= Window).ToList();
}
