using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Grains;
using NixFleet.Silo;
using NixFleet.Silo.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace NixFleet.Tests.Support;

/// <summary>A TestingHost cluster whose grain state lives in a real SQLite file.</summary>
public static class SqliteCluster
{
    public const string DbPathKey = "NixFleetTest:DbPath";

    /// <summary>The grain storage of the cluster's first silo, to read and write rows as a grain would.</summary>
    public static IGrainStorage GrainStorage(this TestCluster cluster) =>
        ((InProcessSiloHandle)cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    public static NixFleetOptions OptionsFor(string dbPath) => new()
    {
        Listen = new ListenAddress(System.Net.IPAddress.Loopback, false, 1),
        DataDir = Path.GetDirectoryName(dbPath)!,
        DbPath = dbPath,
    };

    /// <param name="siloServices">Extra silo services, added after NixFleet's (so they win), e.g. a fake clock.</param>
    public static async Task<TestCluster> StartAsync(string dbPath, short silos = 1, Action<TestClusterBuilder>? configure = null,
        Action<IServiceCollection>? siloServices = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties[DbPathKey] = dbPath;
        if (siloServices is not null)
        {
            // Silos run in this process: hand them the delegate through a key in their configuration.
            var key = Guid.NewGuid().ToString("N");
            ServiceHooks[key] = siloServices;
            builder.Properties[ServicesKey] = key;
        }
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        builder.Options.ServiceId = "nixfleet"; // rows are keyed by service id: keep it across restarts
        builder.AddSiloBuilderConfigurator<Configurator>();
        configure?.Invoke(builder);
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private const string ServicesKey = "NixFleetTest:ServicesKey";
    private static readonly ConcurrentDictionary<string, Action<IServiceCollection>> ServiceHooks = new();

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddNixFleetCore(OptionsFor(silo.Configuration[DbPathKey]!));
            if (silo.Configuration[ServicesKey] is { } key && ServiceHooks.TryGetValue(key, out var add)) add(silo.Services);
        }
    }

    /// <summary>The test client can subscribe to the silo's streams.</summary>
    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) => client.AddMemoryStreams(SiloSetup.StreamProvider);
    }
}
