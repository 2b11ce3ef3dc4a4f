using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;
using NixFleet.Web.Hosting;

namespace NixFleet.Tests.Support;

/// <summary>
/// The dashboard built in-process by <see cref="DashboardApp.Build"/>: real Kestrel on 127.0.0.1 (a free port),
/// a real silo, a real SQLite file. Its host grains' calls are recorded in <see cref="Calls"/>.
/// </summary>
public sealed class GatewayApp : IAsyncDisposable
{
    public const string SharedToken = "shared-agent-token-for-tests-0123456789";

    private readonly WebApplication _app;

    public NixFleetOptions Options { get; }
    public Uri WsUri { get; }
    public Uri BaseUri { get; }
    public IServiceProvider Services => _app.Services;
    public GrainCallLog Calls => _app.Services.GetRequiredService<GrainCallLog>();
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();
    public AgentTokenStore Tokens => _app.Services.GetRequiredService<AgentTokenStore>();

    private GatewayApp(WebApplication app, NixFleetOptions options, int port)
    {
        _app = app;
        Options = options;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        WsUri = new Uri($"ws://127.0.0.1:{port}/ws");
    }

    public static NixFleetOptions OptionsFor(string dataDir, bool allowShared = true) => new()
    {
        Listen = new ListenAddress(IPAddress.Loopback, false, 0),
        DataDir = dataDir,
        DbPath = Path.Combine(dataDir, "nixfleet.db"),
        AgentToken = SharedToken,
        AllowSharedAgentToken = allowShared,
        LogLevel = LogLevel.Warning,
    };

    /// <summary>Starts one dashboard; <paramref name="clustering"/> defaults to a single node.</summary>
    public static async Task<GatewayApp> StartAsync(NixFleetOptions options, Action<ISiloBuilder>? clustering = null)
    {
        var app = DashboardApp.Build(options, clustering: silo =>
        {
            if (clustering is not null) clustering(silo);
            else silo.UseLocalhostClustering(siloPort: FreePort.Next(), gatewayPort: 0, serviceId: "nixfleet", clusterId: "nixfleet");
            GrainCallLog.AddTo(silo);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GatewayApp(app, options, new Uri(address).Port);
    }

    public Task<HostView> HostAsync(string hostname) => Grains.GetGrain<IHostGrain>(hostname).GetAsync();

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await _app.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
