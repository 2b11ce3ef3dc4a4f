using Microsoft.AspNetCore.Connections;
using NixFleet.Silo;
using NixFleet.Silo.Configuration;
using NixFleet.Web.Api;
using NixFleet.Web.Gateway;
using NixFleet.Web.Health;
using NixFleet.Web.Live;
using NixFleet.Web.Pages.Hosts;
using NixFleet.Web.Rollouts;
using NixFleet.Web.Security;

namespace NixFleet.Web.Hosting;

/// <summary>Builds the dashboard: Kestrel on NIXFLEET_LISTEN, a co-hosted silo, and the endpoints.</summary>
public static class DashboardApp
{
    /// <param name="clustering">
    /// Replaces the single-node clustering of <see cref="SiloSetup.UseNixFleet"/> (tests join two dashboards into
    /// one cluster this way); storage, streams and services are the same either way.
    /// </param>
    public static WebApplication Build(NixFleetOptions options, string[]? args = null, Action<ISiloBuilder>? clustering = null)
    {
        Directory.CreateDirectory(options.DataDir);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            // Fixed, so pages and static assets are found when the app is hosted by another entry point (tests).
            ApplicationName = typeof(DashboardApp).Assembly.GetName().Name,
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; o.UseUtcTimestamp = true; });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // Orleans is chatty at Information; keep its noise to warnings unless debugging.
        if (options.LogLevel >= LogLevel.Information)
        {
            builder.Logging.AddFilter("Orleans", LogLevel.Warning);
            builder.Logging.AddFilter("Polly", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            // Hosting logs only at Information, but any level switched on gives every request an Activity and a log
            // scope, kept for a socket's whole life: at 10,000 agents that is megabytes for nothing.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }

        // Serve wwwroot from the build output too (dotnet run in any environment); a no-op when published.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.UseKestrel(k =>
        {
            var l = options.Listen;
            if (l.Localhost) k.ListenLocalhost(l.Port);
            else if (l.Address is null) k.ListenAnyIP(l.Port);
            else k.Listen(l.Address, l.Port);
        });

        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, SharedArrayMemoryPoolFactory>();
        builder.Services.AddSingleton(options);
        builder.UseOrleans(silo =>
        {
            if (clustering is null) silo.UseNixFleet(options);
            else
            {
                clustering(silo);
                silo.AddNixFleetCore(options);
            }
        });
        builder.Services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo")
            .AddCheck<StoreHealthCheck>("store");
        builder.Services.AddNixFleetSecurity(options);
        builder.Services.AddAgentGateway();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRazorPages();
        builder.Services.AddFleetLive();
        builder.Services.AddNixFleetApi();
        builder.Services.AddHostPage();
        builder.Services.AddRollouts();

        var app = builder.Build();
        app.UseAgentGateway();
        app.UseNixFleetSecurity();
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealth();
        app.MapRazorPages();
        app.MapFleetLive().RequireLiveUpdateAccess();
        app.MapNixFleetApi();
        app.MapCommandLive().RequireLiveUpdateAccess();
        app.MapHostCommandsLive().RequireLiveUpdateAccess();
        app.MapRollouts();
        return app;
    }
}
