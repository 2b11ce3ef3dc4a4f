using System.Diagnostics;

namespace NixFleet.OutputBench;

/// <summary>
/// One browser on <c>/live/commands/{id}</c> over real HTTP: checks that seqs come 1, 2, 3… with nothing missing,
/// repeated or out of order, and records each line's latency from the agent's send time in the line text.
/// </summary>
internal sealed class SseSubscriber(int index)
{
    public int Index => index;
    public long Lines, Events, OrderErrors, LastSeq;
    public bool Ended;
    public LatencyHistogram Latency { get; } = new();

    public async Task RunAsync(HttpClient http, string commandId, TaskCompletionSource connected, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/live/commands/{commandId}?after=0", HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        connected.TrySetResult();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: end", StringComparison.Ordinal)) { Ended = true; return; }
            if (line.StartsWith("event: ", StringComparison.Ordinal)) { Events++; continue; }
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var now = Stopwatch.GetTimestamp();
            var seq = Number(line, "data-seq=\"");
            var sent = Number(line, "ts=");
            if (seq != LastSeq + 1) OrderErrors++;
            LastSeq = seq;
            Lines++;
            Latency.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
        }
    }

    private static long Number(string line, string after)
    {
        var at = line.IndexOf(after, StringComparison.Ordinal);
        if (at < 0) return -1;
        var span = line.AsSpan(at + after.Length);
        var end = 0;
        while (end < span.Length && char.IsAsciiDigit(span[end])) end++;
        return long.Parse(span[..end]);
    }
}

/// <summary>Latencies in 0.1 ms buckets up to 60 s; percentiles from the buckets.</summary>
internal sealed class LatencyHistogram
{
    private readonly long[] _buckets = new long[600_000];
    public long Count { get; private set; }
    public double Max { get; private set; }

    public void Add(double ms)
    {
        _buckets[Math.Clamp((int)(ms * 10), 0, _buckets.Length - 1)]++;
        Count++;
        Max = Math.Max(Max, ms);
    }

    public void AddAll(LatencyHistogram other)
    {
        for (var i = 0; i < _buckets.Length; i++) _buckets[i] += other._buckets[i];
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    public double Percentile(double p)
    {
        var want = (long)Math.Ceiling(Count * p);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
            if ((seen += _buckets[i]) >= want) return (i + 1) / 10.0;
        return Max;
    }
}
