using System.Text;
using System.Threading.Channels;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Web.Components;
using NixFleet.Web.Pages.Hosts;
using Orleans.Streams;

namespace NixFleet.Web.Live;

/// <summary>
/// <c>GET /live/hosts/{hostname}/commands</c>: the host page's live connection for its commands (the output has its
/// own, <see cref="CommandLiveEndpoint"/>). Fed by the host's command event stream and coalesced per
/// <see cref="CoalesceEvery"/>: an event <c>commands</c> (the history re-fetches its page) and, per changed command,
/// an event <c>command-{id}</c> whose data is that command's state block (phase, warning, stop/cancel). On every
/// (re)connect it sends both for the newest commands first, so a page that lost its connection catches up.
/// </summary>
public static class HostCommandsLiveEndpoint
{
    public const string HistoryEvent = "commands";
    public static readonly TimeSpan CoalesceEvery = TimeSpan.FromMilliseconds(100);

    public static IEndpointConventionBuilder MapHostCommandsLive(this IEndpointRouteBuilder app) =>
        app.MapGet("/live/hosts/{hostname}/commands", async (string hostname, HttpContext http, IClusterClient client, HostFragments fragments) =>
        {
            if (!NixFleet.Protocol.HostNames.IsValid(hostname)) return Results.NotFound("no such host");
            var host = client.GetGrain<IHostGrain>(hostname);
            if (!(await host.GetAsync()).Known) return Results.NotFound("no such host");

            var ct = http.RequestAborted;
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            // Only the newest state of each command matters, so a slow browser loses stale events, never the last one.
            var events = Channel.CreateBounded<CommandEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
            var handle = await client.GetStreamProvider(CommandStreams.Provider)
                .GetStream<CommandEvent>(StreamId.Create(CommandStreams.Events, hostname))
                .SubscribeAsync((e, _) => { events.Writer.TryWrite(e); return Task.CompletedTask; });
            var stopping = new HashSet<string>();
            try
            {
                var newest = await host.GetCommandsAsync(0, _CommandHistory.PageSize);
                await WriteAsync(http.Response, fragments, newest.Items, stopping, ct);
                while (await events.Reader.WaitToReadAsync(ct))
                {
                    await Task.Delay(CoalesceEvery, ct);
                    var latest = new Dictionary<string, CommandRecord>();
                    while (events.Reader.TryRead(out var e))
                    {
                        if (e.Kind == CommandEvent.ProgressKind) continue;
                        if (e.Kind == CommandEvent.Stopping) stopping.Add(e.Command.Id);
                        latest[e.Command.Id] = e.Command;
                    }
                    if (latest.Count > 0) await WriteAsync(http.Response, fragments, latest.Values, stopping, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            finally
            {
                await handle.UnsubscribeAsync();
            }
            return Results.Empty;
        });

    private static async Task WriteAsync(HttpResponse response, HostFragments fragments, IEnumerable<CommandRecord> commands,
        HashSet<string> stopping, CancellationToken ct)
    {
        var sb = new StringBuilder("event: ").Append(HistoryEvent).Append("\ndata: changed\n\n");
        foreach (var c in commands)
        {
            var html = await fragments.StateAsync(c, stopping.Contains(c.Id));
            sb.Append("event: ").Append(HostLinks.StateEvent(c.Id)).Append('\n');
            foreach (var line in html.Split('\n')) sb.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
            sb.Append('\n');
        }
        await response.WriteAsync(sb.ToString(), ct);
        await response.Body.FlushAsync(ct);
    }
}
