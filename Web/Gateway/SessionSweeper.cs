namespace NixFleet.Web.Gateway;

/// <summary>
/// Once a second: closes sockets silent for 3 heartbeat intervals (at least 15 s) and aborts those that did
/// not finish closing in time. At shutdown, tells every agent the dashboard is going away.
/// </summary>
internal sealed class SessionSweeper(AgentSessions sessions) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Environment.TickCount64;
                foreach (var s in sessions.All) s.Sweep(now);
            }
        }
        catch (OperationCanceledException) { }
        foreach (var s in sessions.All) s.RequestClose(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "dashboard is shutting down");
    }
}
