using Microsoft.Extensions.DependencyInjection.Extensions;
using NixFleet.Silo.Storage;

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

    public static void MapAgentGateway(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = GatewayLimits.PingInterval, KeepAliveTimeout = GatewayLimits.PongTimeout });
        app.MapGet("/ws", ServeAsync);
    }

    private static async Task ServeAsync(HttpContext context, WsAccess access, GatewayContext gateway)
    {
        var credential = await access.AuthorizeAsync(context);
        if (credential is null && !context.Request.Headers.Authorization.Any()
            && NixFleet.Web.Security.LiveUpdateAccess.Check(context) is var verdict
            && verdict != NixFleet.Web.Security.LiveUpdateAccess.Verdict.Unauthenticated)
        {
            // Not an agent: a browser. Live updates for pages are served as server-sent events under /live.
            context.Response.StatusCode = verdict == NixFleet.Web.Security.LiveUpdateAccess.Verdict.ForeignOrigin
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
}
