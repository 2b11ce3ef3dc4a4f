using System.Threading.Channels;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Rollouts;
using NixFleet.Web.Api;
using NixFleet.Web.Auth;
using NixFleet.Web.Components;
using Orleans.Streams;

namespace NixFleet.Web.Rollouts;

/// <summary>
/// <c>GET /live/rollouts/{id}</c>: the rollout page's live connection. The current state first (whatever changed
/// between the page render and this connection), then the rollout's stream; only the newest state is kept, so a
/// burst of host ends costs one swap. Each event is the whole <see cref="_Rollout"/> section as an out-of-band swap.
/// </summary>
public static class RolloutLiveEndpoint
{
    public const string EventName = "rollout";

    public static IEndpointConventionBuilder MapRolloutLive(this IEndpointRouteBuilder app) =>
        app.MapGet("/live/rollouts/{id}", async (string id, HttpContext http, IClusterClient cluster, IServiceProvider services, ILoggerFactory loggers) =>
        {
            if (!ApiInput.IsRolloutId(id)) return Results.BadRequest("not a rollout id");
            var grain = cluster.GetGrain<IRolloutGrain>(id);
            if (await grain.GetAsync() is not { } first) return Results.NotFound("no such rollout");

            var ct = http.RequestAborted;
            var csrf = http.User.CsrfToken() ?? "";
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            var latest = Channel.CreateBounded<RolloutView>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
            var stream = cluster.GetStreamProvider(CommandStreams.Provider).GetStream<RolloutView>(StreamId.Create(CommandStreams.Rollouts, id));
            var handle = await stream.SubscribeAsync((v, _) => { latest.Writer.TryWrite(v); return Task.CompletedTask; });
            try
            {
                // Read again after subscribing: a change between the first read and the subscription is not lost.
                latest.Writer.TryWrite(await grain.GetAsync() ?? first);
                await foreach (var view in latest.Reader.ReadAllAsync(ct))
                    await WriteAsync(http.Response, await RenderAsync(services, loggers, view, csrf), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            finally
            {
                await handle.UnsubscribeAsync();
            }
            return Results.Empty;
        });

    private static async Task<string> RenderAsync(IServiceProvider services, ILoggerFactory loggers, RolloutView view, string csrf)
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<_Rollout>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                ["View"] = view, ["Csrf"] = csrf, ["Oob"] = "true",
            }))).ToHtmlString());
    }

    private static async Task WriteAsync(HttpResponse response, string html, CancellationToken ct)
    {
        var sb = new System.Text.StringBuilder("event: ").Append(EventName).Append('\n');
        foreach (var line in html.Split('\n')) sb.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        sb.Append('\n');
        await response.WriteAsync(sb.ToString(), ct);
        await response.Body.FlushAsync(ct);
    }
}
