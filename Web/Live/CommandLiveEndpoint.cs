using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Live;

/// <summary>
/// <c>GET /live/commands/{id}?after=N</c>: one command's output as server-sent events for API and CLI clients
/// (<see cref="CommandOutputRelay"/>: stored lines after N, the live tail, then <c>end</c>, after which the response
/// ends). The host page gets the same events on its one connection, <see cref="HostCommandsLiveEndpoint"/>.
/// </summary>
public static class CommandLiveEndpoint
{
    public const string OutputEvent = CommandOutputRelay.OutputEvent, EndEvent = CommandOutputRelay.EndEvent;

    public static IEndpointConventionBuilder MapCommandLive(this IEndpointRouteBuilder app) =>
        app.MapGet("/live/commands/{id}", async (string id, long? after, HttpContext http, IGrainFactory grains, CommandOutputFollower follower) =>
        {
            if (!CommandIds.TryGetHost(id, out var host)) return Results.BadRequest("not a command id");
            if (CommandOutputRelay.From(after, http.Request) is not { } from) return Results.BadRequest("after must be 0 or more");
            var hostGrain = grains.GetGrain<IHostGrain>(host);
            if (await hostGrain.GetCommandAsync(id) is null) return Results.NotFound("no such command");

            var ct = http.RequestAborted;
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.Body.FlushAsync(ct);
            try
            {
                await CommandOutputRelay.RelayAsync(http.Response, null, follower, hostGrain, host, id, from, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            return Results.Empty;
        });
}
