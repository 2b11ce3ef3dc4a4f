using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>
/// The last hour of a host's metrics, in memory only: it is for a glance at the host page, and writing it to
/// storage would cost a write per heartbeat. At most <see cref="MaxSamples"/> small structs per host: samples are
/// at least <see cref="MinSpacing"/> apart, and when the list is full every second one is dropped and the spacing
/// doubles, so an hour ends up at about 30-40 s resolution. Kept as one sample object per heartbeat, 10,000 hosts
/// at a 5 s interval held 7 million objects (about 70 KB per host) after an hour.
/// </summary>
internal sealed class MetricsHistory
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinSpacing = TimeSpan.FromSeconds(5);
    public const int MaxSamples = 120;

    // 16 bytes: after ten minutes each host's list has room for 128, so at 10,000 hosts 8 bytes more per sample is 10 MB.
    // Half keeps three significant digits (a percentage within 0.03), more than a glance at a chart can tell.
    private readonly record struct Sample(long UtcTicks, Half Cpu, Half Ram, Half Swap, Half Load);

    private readonly List<Sample> _samples = [];
    private TimeSpan _spacing = MinSpacing;

    public void Add(DateTimeOffset at, HostMetrics metrics)
    {
        DropOlderThan(at);
        if (_samples.Count == 0) _spacing = MinSpacing;
        else if (at.UtcTicks - _samples[^1].UtcTicks < _spacing.Ticks) return;
        if (_samples.Count == MaxSamples) Thin();
        _samples.Add(new Sample(at.UtcTicks, (Half)metrics.Cpu, (Half)metrics.Ram, (Half)metrics.Swap, (Half)metrics.Load));
    }

    public IReadOnlyList<MetricSample> Since(DateTimeOffset now) =>
        _samples.Select(s => new MetricSample(new DateTimeOffset(s.UtcTicks, TimeSpan.Zero), new HostMetrics((double)s.Cpu, (double)s.Ram, (double)s.Swap, (double)s.Load)))
            .Where(s => now - s.At <= Window).ToList();

    // Keeps every second sample, counted from the newest, and doubles the spacing for the ones to come.
    private void Thin()
    {
        var kept = 0;
        for (var i = (_samples.Count - 1) % 2; i < _samples.Count; i += 2) _samples[kept++] = _samples[i];
        _samples.RemoveRange(kept, _samples.Count - kept);
        _spacing *= 2;
    }

    private void DropOlderThan(DateTimeOffset now)
    {
        var old = 0;
        while (old < _samples.Count && now.UtcTicks - _samples[old].UtcTicks > Window.Ticks) old++;
        if (old > 0) _samples.RemoveRange(0, old);
    }
}
