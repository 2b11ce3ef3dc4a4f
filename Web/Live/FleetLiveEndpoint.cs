using System.Text;

namespace NixFleet.Web.Live;

/// <summary>
/// <c>GET /live/fleet?since=N</c>: server-sent events for the fleet page (htmx sse extension). One event
/// named <c>fleet</c> per tick carries every changed row as out-of-band swaps. A reconnecting page passes
/// the version it was rendered at and gets everything it missed.
/// </summary>
public static class FleetLiveEndpoint
{
    public const string EventName = "fleet";

    public static IEndpointConventionBuilder MapFleetLive(this IEndpointRouteBuilder app) =>
        app.MapGet("/live/fleet", async (HttpContext http, FleetLiveHub hub, long? since) =>
        {
            var ct = http.RequestAborted;
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Accel-Buffering"] = "no"; // proxies must not hold events back
            var (catchUp, updates) = await hub.SubscribeAsync(since ?? 0, ct);
            try
            {
                await WriteEventAsync(http.Response, catchUp, ct);
                await foreach (var html in updates.ReadAllAsync(ct)) await WriteEventAsync(http.Response, html, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            finally
            {
                hub.Unsubscribe(updates);
            }
        });

    private static async Task WriteEventAsync(HttpResponse response, string html, CancellationToken ct)
    {
        var sb = new StringBuilder("event: ").Append(EventName).Append('\n');
        foreach (var line in html.Split('\n')) sb.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        sb.Append('\n');
        await response.WriteAsync(sb.ToString(), ct);
        await response.Body.FlushAsync(ct);
    }
}
