using NixFleet.Grains.Hosts;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Tests.Foundation;

/// <summary>The host page's hour of metrics: spaced samples, oldest first, bounded in number, never older than an hour.</summary>
public sealed class MetricsHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Samples_closer_than_the_spacing_are_merged_into_the_first()
    {
        var h = new MetricsHistory();
        h.Add(Start, new HostMetrics(10, 20, 0, 0.5));
        h.Add(Start + TimeSpan.FromSeconds(2), new HostMetrics(99, 99, 99, 9));
        h.Add(Start + MetricsHistory.MinSpacing, new HostMetrics(30, 40, 1, 1.5));

        var samples = h.Since(Start + MetricsHistory.MinSpacing);
        Assert.Equal([Start, Start + MetricsHistory.MinSpacing], samples.Select(s => s.At));
        Assert.Equal(new HostMetrics(10, 20, 0, 0.5), samples[0].Metrics);
        Assert.Equal(new HostMetrics(30, 40, 1, 1.5), samples[1].Metrics);
    }

    [Fact]
    public void After_three_hours_of_heartbeats_the_last_hour_is_covered_by_a_bounded_number_of_samples_in_order()
    {
        var h = new MetricsHistory();
        var now = Start;
        for (var i = 0; now < Start + TimeSpan.FromHours(3); i++, now += TimeSpan.FromSeconds(5))
            h.Add(now, new HostMetrics(i % 100, 50, 0, 1));

        var last = now - TimeSpan.FromSeconds(5);
        var samples = h.Since(last);
        Assert.InRange(samples.Count, MetricsHistory.MaxSamples / 2, MetricsHistory.MaxSamples);
        Assert.All(samples, s => Assert.InRange(last - s.At, TimeSpan.Zero, MetricsHistory.Window));
        Assert.True(last - samples[0].At > TimeSpan.FromMinutes(50), $"oldest sample {last - samples[0].At} ago: the hour is covered");
        Assert.Equal(samples.OrderBy(s => s.At).Select(s => s.At), samples.Select(s => s.At));
    }

    [Fact]
    public void The_first_ten_minutes_keep_every_five_second_sample()
    {
        var h = new MetricsHistory();
        for (var i = 0; i < MetricsHistory.MaxSamples; i++)
            h.Add(Start + TimeSpan.FromSeconds(5 * i), new HostMetrics(i, 0, 0, 0));
        var samples = h.Since(Start + TimeSpan.FromMinutes(10));
        Assert.Equal(Enumerable.Range(0, MetricsHistory.MaxSamples).Select(i => (double)i), samples.Select(s => s.Metrics.Cpu));
    }

    [Fact]
    public void A_host_silent_for_more_than_an_hour_shows_nothing_old()
    {
        var h = new MetricsHistory();
        h.Add(Start, new HostMetrics(1, 2, 3, 4));
        Assert.Empty(h.Since(Start + TimeSpan.FromHours(2)));
        h.Add(Start + TimeSpan.FromHours(2), new HostMetrics(5, 6, 7, 8));
        Assert.Equal([Start + TimeSpan.FromHours(2)], h.Since(Start + TimeSpan.FromHours(2)).Select(s => s.At));
    }

    [Fact]
    public void Kept_values_are_within_a_twentieth_of_what_arrived()
    {
        var h = new MetricsHistory();
        h.Add(Start, new HostMetrics(37.3, 99.9, 0.1, 12.37));
        var m = Assert.Single(h.Since(Start)).Metrics;
        Assert.Equal(37.3, m.Cpu, 0.05);
        Assert.Equal(99.9, m.Ram, 0.05);
        Assert.Equal(0.1, m.Swap, 0.05);
        Assert.Equal(12.37, m.Load, 0.05);
    }
}
