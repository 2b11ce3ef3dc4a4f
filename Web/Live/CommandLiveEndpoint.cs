using System.Runtime.CompilerServices;
using System.Text;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Web.Rendering;

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

    private static async Task WriteBatchAsync(HttpResponse response, IReadOnlyList<StoredOutputLine> lines, CancellationToken ct)
    {
        var sb = new StringBuilder();
        for (var from = 0; from < lines.Count; from += MaxLinesPerEvent)
        {
            sb.Append("event: ").Append(OutputEvent).Append('\n');
            var to = Math.Min(lines.Count, from + MaxLinesPerEvent);
            for (var i = from; i < to; i++)
            {
                sb.Append(Rendered.GetValue(lines[i], Render));
            }
            sb.Append("id: ").Append(lines[to - 1].Seq).Append("\n\n");
        }
        if (sb.Length > 0) await WriteAsync(response, sb.ToString(), ct);
    }

    // Live lines are the same objects for every browser on this node (CommandOutputHub): rendered once, shared.
    private static readonly ConditionalWeakTable<StoredOutputLine, string> Rendered = new();

    // AnsiHtml drops control characters, so a rendered line never breaks the one-line data: field.
    private static string Render(StoredOutputLine line) =>
        new StringBuilder("data: <div class=\"line").Append(line.IsError || line.Stream == "stderr" ? " stderr" : "")
            .Append("\" data-seq=\"").Append(line.Seq).Append("\">").Append(AnsiHtml.ToHtml(line.Text)).Append("</div>\n").ToString();

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }
}
