using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>
/// The last hour of a host's metrics, in memory only: it is for a glance at the host page, and writing
/// it to storage would cost a write per heartbeat. One sample per <see cref="MinSpacing"/> at most, kept as
/// small structs in a ring that grows as samples come (up to 121 of 24 bytes): 10,000 hosts at a 5 s heartbeat
/// would otherwise hold 7 million sample objects (about 70 KB per host) after an hour.
/// </summary>
internal sealed class MetricsHistory
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinSpacing = TimeSpan.FromSeconds(30);
    private static readonly int Capacity = (int)(Window / MinSpacing) + 1;

    private readonly record struct Sample(long UtcTicks, float Cpu, float Ram, float Swap, float Load);

    private Sample[] _ring = [];
    private int _start;
    private int _count;

    public void Add(DateTimeOffset at, HostMetrics metrics)
    {
        DropOlderThan(at);
        if (_count > 0 && at.UtcTicks - Newest.UtcTicks < MinSpacing.Ticks) return;
        var sample = new Sample(at.UtcTicks, (float)metrics.Cpu, (float)metrics.Ram, (float)metrics.Swap, (float)metrics.Load);
        if (_count == _ring.Length && _ring.Length < Capacity) Grow();
        if (_count == _ring.Length) { _start = (_start + 1) % _ring.Length; _count--; }
        _ring[(_start + _count) % _ring.Length] = sample;
        _count++;
    }

    private void Grow()
    {
        var bigger = new Sample[Math.Min(Capacity, Math.Max(4, _ring.Length * 2))];
        for (var i = 0; i < _count; i++) bigger[i] = _ring[(_start + i) % _ring.Length];
        _ring = bigger;
        _start = 0;
    }

    public IReadOnlyList<MetricSample> Since(DateTimeOffset now)
    {
        var list = new List<MetricSample>(_count);
        for (var i = 0; i < _count; i++)
        {
            var s = _ring[(_start + i) % _ring.Length];
            var at = new DateTimeOffset(s.UtcTicks, TimeSpan.Zero);
            if (now - at <= Window) list.Add(new MetricSample(at, new HostMetrics(s.Cpu, s.Ram, s.Swap, s.Load)));
        }
        return list;
    }

    private Sample Newest => _ring[(_start + _count - 1) % _ring.Length];

    private void DropOlderThan(DateTimeOffset now)
    {
        while (_count > 0 && now.UtcTicks - _ring[_start].UtcTicks > Window.Ticks)
        {
            _start = (_start + 1) % _ring.Length;
            _count--;
        }
    }
}
