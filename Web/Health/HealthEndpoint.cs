using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NixFleet.Web.Health;

/// <summary><c>GET /health</c>: 200 <c>{"status":"ok"}</c>, or 503 with the failing checks' reasons.</summary>
internal static class HealthEndpoint
{
    public static void MapHealth(this WebApplication app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = (context, report) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                if (report.Status == HealthStatus.Healthy)
                    return context.Response.WriteAsJsonAsync(new { status = "ok" });
                var reason = string.Join("; ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
                    .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message ?? "unhealthy"}"));
                return context.Response.WriteAsJsonAsync(new { status = "unavailable", reason });
            },
        });
}
