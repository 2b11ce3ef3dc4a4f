using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Silo;
using NixFleet.Silo.Configuration;
using Orleans.TestingHost;

namespace NixFleet.Tests.Support;

/// <summary>A TestingHost cluster whose grain state lives in a real SQLite file.</summary>
public static class SqliteCluster
{
    public const string DbPathKey = "NixFleetTest:DbPath";

    public static NixFleetOptions OptionsFor(string dbPath) => new()
    {
        Listen = new ListenAddress(System.Net.IPAddress.Loopback, false, 1),
        DataDir = Path.GetDirectoryName(dbPath)!,
        DbPath = dbPath,
    };

    public static async Task<TestCluster> StartAsync(string dbPath, short silos = 1, Action<TestClusterBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties[DbPathKey] = dbPath;
        builder.Options.ServiceId = "nixfleet"; // rows are keyed by service id: keep it across restarts
        builder.AddSiloBuilderConfigurator<Configurator>();
        configure?.Invoke(builder);
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddNixFleetCore(OptionsFor(silo.Configuration[DbPathKey]!));
    }
}
