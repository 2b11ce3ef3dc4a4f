using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NixFleet.Silo.Configuration;
using NixFleet.Tests.Support;
using NixFleet.Web.Hosting;

namespace NixFleet.Tests.Auth;

/// <summary>
/// The dashboard in-process on real Kestrel (127.0.0.1, port 0) with its own SQLite file. 127.0.0.2 is the
/// trusted proxy; every other loopback address is an ordinary (untrusted) client.
/// </summary>
public sealed class AuthApp : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";
    public const string AgentToken = "shared-agent-token-for-tests-0123456789";
    public const string TrustedProxy = "127.0.0.2";

    // Cost 4 keeps tests quick; the $2y$ spelling (PHP's) must verify like $2a$/$2b$.
    public static readonly string PasswordHash = "$2y$" + BCrypt.Net.BCrypt.HashPassword(Password, 4)[4..];

    private readonly TempDir? _ownedDir;

    public WebApplication App { get; }
    public Uri BaseUri { get; }
    public NixFleetOptions Options { get; }

    private AuthApp(WebApplication app, Uri baseUri, NixFleetOptions options, TempDir? ownedDir)
    {
        App = app;
        BaseUri = baseUri;
        Options = options;
        _ownedDir = ownedDir;
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static NixFleetOptions DefaultOptions(string dataDir) => new()
    {
        Listen = new ListenAddress(IPAddress.Loopback, false, 0),
        DataDir = dataDir,
        DbPath = Path.Combine(dataDir, "nixfleet.db"),
        PasswordHash = PasswordHash,
        AgentToken = AgentToken,
        TrustedProxies = [IPNetwork.Parse(TrustedProxy + "/32")],
        LogLevel = LogLevel.Warning,
    };

    /// <summary>Starts an app; <paramref name="dataDir"/> given means the caller owns (and may reuse) the directory.</summary>
    public static async Task<AuthApp> StartAsync(Func<NixFleetOptions, NixFleetOptions>? configure = null, string? dataDir = null, Action<WebApplication>? map = null)
    {
        var owned = dataDir is null ? new TempDir() : null;
        var options = DefaultOptions(dataDir ?? owned!.Path);
        if (configure is not null) options = configure(options);
        var app = DashboardApp.Build(options);
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AuthApp(app, new Uri(address.Replace("[::]", "127.0.0.1") + "/"), options, owned);
    }

    private static int _nextClient;

    /// <summary>A browser-like client from its own loopback address (so rate limits of other tests never touch it).</summary>
    public Browser NewBrowser(string? sourceAddress = null)
    {
        var n = Interlocked.Increment(ref _nextClient);
        return new Browser(BaseUri, IPAddress.Parse(sourceAddress ?? $"127.20.{n / 250}.{n % 250 + 1}"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _ownedDir?.Dispose();
    }
}
