using System.Buffers;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Live;

/// <summary>
/// A command's output as server-sent events, written into any SSE response (<see cref="CommandLiveEndpoint"/> alone,
/// <see cref="HostCommandsLiveEndpoint"/> among its own events): stored lines after a seq, then the live tail
/// (<see cref="CommandOutputFollower"/>, one subscription per command per node through CommandOutputHub), as
/// <c>output</c> events whose id is the last seq, then one <c>end</c> event saying how the command ended.
/// </summary>
public static class CommandOutputRelay
{
    public const string OutputEvent = "output", EndEvent = "end";
    public static readonly TimeSpan BatchEvery = TimeSpan.FromMilliseconds(25);
    private const int MaxLinesPerEvent = 5000;

    /// <summary>
    /// Where to start: a reconnecting EventSource repeats the URL it started with (after=N of the page) and says in
    /// Last-Event-ID how far it got; the further of the two, so nothing is sent twice. Null when either is negative.
    /// </summary>
    public static long? From(long? after, HttpRequest request)
    {
        var from = Math.Max(after ?? 0, long.TryParse(request.Headers["Last-Event-ID"], out var resumed) ? resumed : 0);
        return after < 0 || from < 0 ? null : from;
    }

    /// <summary>
    /// Writes the output after <paramref name="from"/> and the end into <paramref name="response"/>, each write under
    /// <paramref name="gate"/> when the response has another writer.
    /// </summary>
    public static async Task RelayAsync(HttpResponse response, SemaphoreSlim? gate, CommandOutputFollower follower, IHostGrain hostGrain,
        string host, string id, long from, CancellationToken ct)
    {
        // One write per chunk, then a pause: whatever arrives meanwhile waits in the node's output hub and goes out
        // in the next single write, so a client costs at most one network write per BatchEvery.
        await foreach (var chunk in follower.FollowChunksAsync(host, id, from, ct))
        {
            if (chunk.Count > 0)
            {
                if (gate is not null) await gate.WaitAsync(ct);
                try { await WriteBatchAsync(response, chunk, ct); }
                finally { gate?.Release(); }
            }
            await Task.Delay(BatchEvery, ct);
        }
        var ended = await hostGrain.GetCommandAsync(id);
        var phase = ended?.Phase.Name() ?? "unknown";
        if (gate is not null) await gate.WaitAsync(ct);
        try
        {
            await response.WriteAsync($"event: {EndEvent}\ndata: <span class=\"command-end phase-{phase}\" data-phase=\"{phase}\">{phase}</span>\n\n", ct);
            await response.Body.FlushAsync(ct);
        }
        finally { gate?.Release(); }
    }

    // Straight into the response's pooled buffers, one flush per chunk: no string of the whole chunk (at 10,000
    // lines/s a chunk per browser was hundreds of KB, on the large-object heap, and the GC paused for them).
    private static async Task WriteBatchAsync(HttpResponse response, IReadOnlyList<StoredOutputLine> lines, CancellationToken ct)
    {
        var w = response.BodyWriter;
        for (var from = 0; from < lines.Count; from += MaxLinesPerEvent)
        {
            w.Write("event: output\n"u8);
            var to = Math.Min(lines.Count, from + MaxLinesPerEvent);
            for (var i = from; i < to; i++) w.Write(RenderedLines.Get(lines[i]));
            w.Write("id: "u8);
            lines[to - 1].Seq.TryFormat(w.GetSpan(20), out var digits);
            w.Advance(digits);
            w.Write("\n\n"u8);
        }
        await w.FlushAsync(ct);
    }
}
