using System.Net;
using System.Net.WebSockets;
using NixFleet.Agent.Configuration;
using NixFleet.Agent.Connection;

namespace NixFleet.Agent.Cli;

/// <summary><c>--check</c>: the configuration is valid (already loaded) and the dashboard accepts the token on /ws.</summary>
internal static class CheckCommand
{
    public static async Task<int> RunAsync(AgentSettings settings)
    {
        Console.WriteLine($"configuration ok: {settings.Hostname} → {settings.Url}");
        using var ws = DashboardConnection.NewSocket(settings.Token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await ws.ConnectAsync(settings.Url, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
        {
            if (ws.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                Console.Error.WriteLine($"token refused: the dashboard at {settings.Url} answered HTTP {(int)ws.HttpStatusCode}; check NIXFLEET_TOKEN / NIXFLEET_TOKEN_FILE");
                return ExitCodes.Auth;
            }
            Console.Error.WriteLine($"dashboard unreachable at {settings.Url}: {DashboardConnection.Describe(ws, ex)}");
            return ExitCodes.Unreachable;
        }
        try { await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "check", timeout.Token); }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { }
        Console.WriteLine($"dashboard ok: {settings.Url} accepted the token");
        return ExitCodes.Ok;
    }
}
