using System.Text;
using System.Threading.Channels;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Web.Components;
using NixFleet.Web.Pages.Hosts;
using Orleans.Streams;

namespace NixFleet.Web.Live;

/// <summary>
/// <c>GET /live/hosts/{hostname}/commands[?command={id}&amp;after=N]</c>: the host page's one live connection. Fed by the
/// host's command event stream and coalesced per
/// <see cref="CoalesceEvery"/>: an event <c>commands</c> (the history re-fetches its page) and, per changed command,
/// an event <c>command-{id}</c> whose data is that command's state block (phase, warning, stop/cancel). On every
/// (re)connect it sends both for the newest commands first, so a page that lost its connection catches up. With
/// <c>command</c> (the selected one, of this host) it also relays that command's <c>output</c> and <c>end</c> events
/// (<see cref="CommandOutputRelay"/>, ids = seq for Last-Event-ID) in between, and stays open after <c>end</c>.
/// </summary>
public static class HostCommandsLiveEndpoint
{
    public const string HistoryEvent = "commands";
    public static readonly TimeSpan CoalesceEvery = TimeSpan.FromMilliseconds(100);

    public static IEndpointConventionBuilder MapHostCommandsLive(this IEndpointRouteBuilder app) =>
        app.MapGet("/live/hosts/{hostname}/commands", async (string hostname, string? command, long? after, HttpContext http, IClusterClient client, HostFragments fragments,
            CommandOutputFollower follower) =>
        {
            if (!NixFleet.Protocol.HostNames.IsValid(hostname)) return Results.NotFound("no such host");
            var host = client.GetGrain<IHostGrain>(hostname);
            if (!(await host.GetAsync()).Known) return Results.NotFound("no such host");
            long from = 0;
            if (command is not null)
            {
                if (!CommandIds.TryGetHost(command, out var owner) || owner != hostname) return Results.BadRequest("not a command of this host");
                if (CommandOutputRelay.From(after, http.Request) is not { } start) return Results.BadRequest("after must be 0 or more");
                if (await host.GetCommandAsync(command) is null) return Results.NotFound("no such command");
                from = start;
            }
            else if (after is not null) return Results.BadRequest("after needs command");

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
            // Two writers share the response (this loop and the output relay): one write at a time.
            using var gate = new SemaphoreSlim(1, 1);
            async Task Write(string text)
            {
                await gate.WaitAsync(ct);
                try
                {
                    await http.Response.WriteAsync(text, ct);
                    await http.Response.Body.FlushAsync(ct);
                }
                finally { gate.Release(); }
            }
            using var relayStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task relay = Task.CompletedTask;
            try
            {
                var newest = await host.GetCommandsAsync(0, _CommandHistory.PageSize);
                await Write(await RenderAsync(fragments, newest.Items, stopping));
                if (command is not null)
                    relay = CommandOutputRelay.RelayAsync(http.Response, gate, follower, host, hostname, command, from, relayStop.Token);
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
                    if (latest.Count > 0) await Write(await RenderAsync(fragments, latest.Values, stopping));
                    if (relay.IsFaulted) await relay; // a broken relay ends the response (at the next host event) rather than go quiet
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            finally
            {
                await relayStop.CancelAsync();
                try { await relay; } catch (OperationCanceledException) { }
                await handle.UnsubscribeAsync();
            }
            return Results.Empty;
        });

    private static async Task<string> RenderAsync(HostFragments fragments, IEnumerable<CommandRecord> commands, HashSet<string> stopping)
    {
        var sb = new StringBuilder("event: ").Append(HistoryEvent).Append("\ndata: changed\n\n");
        foreach (var c in commands)
        {
            var html = await fragments.StateAsync(c, stopping.Contains(c.Id));
            sb.Append("event: ").Append(HostLinks.StateEvent(c.Id)).Append('\n');
            foreach (var line in html.Split('\n')) sb.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
