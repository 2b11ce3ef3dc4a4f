using System.Buffers;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Live;

/// <summary>
/// <c>GET /live/commands/{id}?after=N</c>: a command's output as server-sent events for the host page. Stored lines
/// after N, then the live tail (<see cref="CommandOutputFollower"/>: no gap, no duplicate; one stream subscription per command per
/// node, shared by every browser through <see cref="CommandOutputHub"/>). Lines go out as one
/// <c>output</c> event at most every <see cref="BatchEvery"/>, each line an HTML fragment (stderr marked), the event
/// id the last seq so a reconnecting EventSource resumes after it; an <c>end</c> event says how the command ended.
/// </summary>
public static class CommandLiveEndpoint
{
    public const string OutputEvent = "output", EndEvent = "end";
    public static readonly TimeSpan BatchEvery = TimeSpan.FromMilliseconds(50);
    private const int MaxLinesPerEvent = 5000;

    public static IEndpointConventionBuilder MapCommandLive(this IEndpointRouteBuilder app) =>
        app.MapGet("/live/commands/{id}", async (string id, long? after, HttpContext http, IGrainFactory grains, CommandOutputFollower follower) =>
        {
            if (!CommandIds.TryGetHost(id, out var host)) return Results.BadRequest("not a command id");
            // A reconnecting EventSource repeats the URL it started with (after=N of the page) and says in
            // Last-Event-ID how far it got: the further of the two, so nothing is sent twice.
            var from = Math.Max(after ?? 0, long.TryParse(http.Request.Headers["Last-Event-ID"], out var resumed) ? resumed : 0);
            if (after < 0 || from < 0) return Results.BadRequest("after must be 0 or more");
            var hostGrain = grains.GetGrain<IHostGrain>(host);
            if (await hostGrain.GetCommandAsync(id) is null) return Results.NotFound("no such command");

            var ct = http.RequestAborted;
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.Body.FlushAsync(ct);
            try
            {
                // One write per chunk, then a pause: whatever arrives meanwhile waits in the node's output hub and
                // goes out in the next single write, so a client costs at most one network write per BatchEvery.
                await foreach (var chunk in follower.FollowChunksAsync(host, id, from, ct))
                {
                    await WriteBatchAsync(http.Response, chunk, ct);
                    await Task.Delay(BatchEvery, ct);
                }
                var ended = await hostGrain.GetCommandAsync(id);
                var phase = ended?.Phase.Name() ?? "unknown";
                await WriteAsync(http.Response, $"event: {EndEvent}\ndata: <span class=\"command-end phase-{phase}\" data-phase=\"{phase}\">{phase}</span>\n\n", ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            return Results.Empty;
        });

    // Straight into the response's pooled buffers, one flush per chunk: no string of the whole chunk (at 10,000
    // lines/s a chunk per browser was hundreds of KB, on the large-object heap, and the GC paused for them).
    private static async Task WriteBatchAsync(HttpResponse response, IReadOnlyList<StoredOutputLine> lines, CancellationToken ct)
    {
        if (lines.Count == 0) return;
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

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }
}
