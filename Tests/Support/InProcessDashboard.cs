using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Silo.Configuration;
using NixFleet.Web.Hosting;

namespace NixFleet.Tests.Support;

/// <summary>The real dashboard app (real Kestrel on 127.0.0.1, co-hosted silo, SQLite file) inside the test process.</summary>
public sealed class InProcessDashboard : IAsyncDisposable
{
    private readonly WebApplication _app;

    public NixFleetOptions Options { get; }
    public Uri BaseUri => new($"http://127.0.0.1:{Options.Listen.Port}/");
    public IServiceProvider Services => _app.Services;
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    private InProcessDashboard(WebApplication app, NixFleetOptions options) => (_app, Options) = (app, options);

    public static async Task<InProcessDashboard> StartAsync(string dataDir, Func<NixFleetOptions, NixFleetOptions>? configure = null)
    {
        var options = new NixFleetOptions
        {
            Listen = new ListenAddress(System.Net.IPAddress.Loopback, false, FreePort.Next()),
            DataDir = dataDir,
            DbPath = Path.Combine(dataDir, "nixfleet.db"),
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            PasswordHash = TestCredentials.PasswordHash,
            AgentToken = TestCredentials.AgentToken,
        };
        options = configure?.Invoke(options) ?? options;
        var app = DashboardApp.Build(options);
        await app.StartAsync();
        return new InProcessDashboard(app, options);
    }

    private OperatorSession? _session;

    /// <summary>A client signed in as the operator (session cookie and CSRF header on every request).</summary>
    public async Task<HttpClient> CreateClientAsync() => (_session ??= await TestCredentials.SignInAsync(BaseUri)).CreateClient();

    /// <summary>A client with no session, as a stranger's browser.</summary>
    public HttpClient CreateAnonymousClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
