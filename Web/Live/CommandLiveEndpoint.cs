using System.Text;
using System.Threading.Channels;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Web.Rendering;

namespace NixFleet.Web.Live;

/// <summary>
/// <c>GET /live/commands/{id}?after=N</c>: a command's output as server-sent events for the host page. Stored lines
/// after N, then the live tail (<see cref="CommandOutputFollower"/>: no gap, no duplicate). Lines go out as one
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
            var lines = Channel.CreateBounded<StoredOutputLine>(new BoundedChannelOptions(10_000) { SingleReader = true, SingleWriter = true });
            var pump = PumpAsync(follower.FollowAsync(host, id, from, ct), lines.Writer, ct);
            try
            {
                while (await lines.Reader.WaitToReadAsync(ct))
                {
                    await WriteBatchAsync(http.Response, lines.Reader, ct);
                    await Task.Delay(BatchEvery, ct); // whatever arrives meanwhile goes out in the next single write
                }
                await pump;
                var ended = await hostGrain.GetCommandAsync(id);
                var phase = ended?.Phase.Name() ?? "unknown";
                await WriteAsync(http.Response, $"event: {EndEvent}\ndata: <span class=\"command-end phase-{phase}\" data-phase=\"{phase}\">{phase}</span>\n\n", ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            return Results.Empty;
        });

    private static async Task PumpAsync(IAsyncEnumerable<StoredOutputLine> source, ChannelWriter<StoredOutputLine> target, CancellationToken ct)
    {
        try
        {
            await foreach (var line in source.WithCancellation(ct)) await target.WriteAsync(line, ct);
            target.TryComplete();
        }
        catch (Exception e)
        {
            target.TryComplete(e);
        }
    }

    private static async Task WriteBatchAsync(HttpResponse response, ChannelReader<StoredOutputLine> reader, CancellationToken ct)
    {
        var sb = new StringBuilder("event: ").Append(OutputEvent).Append('\n');
        long last = 0;
        var count = 0;
        while (count < MaxLinesPerEvent && reader.TryRead(out var line))
        {
            // AnsiHtml drops control characters, so a rendered line never breaks the one-line data: field.
            sb.Append("data: <div class=\"line").Append(line.IsError || line.Stream == "stderr" ? " stderr" : "")
              .Append("\" data-seq=\"").Append(line.Seq).Append("\">").Append(AnsiHtml.ToHtml(line.Text)).Append("</div>\n");
            last = line.Seq;
            count++;
        }
        if (count == 0) return;
        sb.Append("id: ").Append(last).Append("\n\n");
        await WriteAsync(response, sb.ToString(), ct);
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }
}
