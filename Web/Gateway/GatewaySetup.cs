using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Authentication;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;
using NixFleet.Web.Security;

namespace NixFleet.Web.Gateway;

/// <summary>The agent gateway: <c>GET /ws</c> for NixFleet agents.</summary>
public static class GatewaySetup
{
    public static IServiceCollection AddAgentGateway(this IServiceCollection services)
    {
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<AgentTokenStore>();
        services.TryAddSingleton<ISharedAgentTokenCheck, ConfiguredSharedAgentToken>();
        services.TryAddSingleton<IAgentTokenValidator, AgentTokenValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WsAccess>();
        services.AddSingleton<AgentSessions>();
        services.AddSingleton<GatewayContext>();
        services.AddHostedService<SessionSweeper>();
        return services;
    }

    /// <summary>
    /// <c>/ws</c> gets a branch of its own, ahead of the pages' pipeline: an agent's socket stays open for days, and
    /// behind routing, authentication, CSRF and authorization it kept each of those middlewares' state alive for its
    /// whole life (about 2 KB per agent). Agents authenticate here with their bearer token; a browser's session
    /// cookie is read only to tell it where its live updates are.
    /// </summary>
    public static void UseAgentGateway(this WebApplication app)
    {
        var proxies = TrustedProxies.Options(app.Services.GetRequiredService<NixFleetOptions>());
        // Singletons, taken once: asking the request for them would give every socket a service scope to keep.
        var access = app.Services.GetRequiredService<WsAccess>();
        var gateway = app.Services.GetRequiredService<GatewayContext>();
        app.MapWhen(c => c.Request.Path.Equals("/ws", StringComparison.OrdinalIgnoreCase) || c.Request.Path.Equals("/ws/", StringComparison.OrdinalIgnoreCase), ws =>
        {
            ws.UseForwardedHeaders(proxies);
            // No pings of our own (PROTOCOL.md says the dashboard pings too; docs/API.md says why not): a dead socket is
            // found by silence (SessionSweeper: 3 heartbeat intervals, at least 15 s), and agents ping every 10 s, which
            // keeps proxies and NATs open. A ping needs a timer per socket: at 10,000 agents the 10,000 timers and their
            // frames were about a sixth of the dashboard's CPU (docs/BENCHMARKS.md). Agents' pings are still answered.
            ws.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            // Errors get the headers of every other response; an accepted socket has no use for them.
            ws.UseWhen(c => !c.WebSockets.IsWebSocketRequest, b => b.UseMiddleware<SecurityHeadersMiddleware>());
            ws.Run(c => ServeAsync(c, access, gateway));
        });
    }

    private static async Task ServeAsync(HttpContext context, WsAccess access, GatewayContext gateway)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET";
            return;
        }
        var credential = await access.AuthorizeAsync(context);
        if (credential is null && !context.Request.Headers.Authorization.Any()
            && await BrowserVerdictAsync(context) is var verdict
            && verdict != LiveUpdateAccess.Verdict.Unauthenticated)
        {
            // Not an agent: a browser. Live updates for pages are served as server-sent events under /live.
            context.Response.StatusCode = verdict == LiveUpdateAccess.Verdict.ForeignOrigin
                ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(context.Response.StatusCode == 403
                ? "origin not allowed\n" : "this endpoint is for agents; pages get live updates from /live/*\n");
            return;
        }
        if (credential is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsync("agent token required: Authorization: Bearer <token>\n");
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("expected a WebSocket upgrade\n");
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var remote = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        await new AgentSession(socket, credential, gateway, remote).RunAsync();
    }

    // This branch runs before the authentication middleware: read the session cookie, if any, here.
    private static async Task<LiveUpdateAccess.Verdict> BrowserVerdictAsync(HttpContext context)
    {
        if (await context.AuthenticateAsync() is { Succeeded: true } session) context.User = session.Principal;
        return LiveUpdateAccess.Check(context);
    }
}
