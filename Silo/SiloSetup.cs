using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NixFleet.Grains;
using NixFleet.Grains.Fleet;
using NixFleet.Grains.Hosts;
using NixFleet.Grains.Commands;
using NixFleet.Silo.Commands;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;
using Orleans.Configuration;
using Orleans.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace NixFleet.Silo;

/// <summary>The one silo configuration every NixFleet process uses.</summary>
public static class SiloSetup
{
    public const string StreamProvider = NixFleet.Grains.Interfaces.Fleet.FleetStreams.Provider;
    internal static readonly TimeSpan StreamCacheKeep = TimeSpan.FromSeconds(10);
    internal const int DirectoryCacheSize = 100_000;

    /// <summary>Clustering chosen from configuration, plus everything of <see cref="AddNixFleetCore"/>.</summary>
    public static ISiloBuilder UseNixFleet(this ISiloBuilder silo, NixFleetOptions options)
    {
        var siloPort = options.SiloPort != 0 ? options.SiloPort : FreeLoopbackPort();
        // Single node: no gateway, since nothing outside this process talks to the silo.
        silo.UseLocalhostClustering(siloPort: siloPort, gatewayPort: 0, serviceId: "nixfleet", clusterId: "nixfleet");
        return silo.AddNixFleetCore(options);
    }

    /// <summary>Storage, streams and services, without clustering (test clusters bring their own).</summary>
    public static ISiloBuilder AddNixFleetCore(this ISiloBuilder silo, NixFleetOptions options)
    {
        SqliteSchema.Ensure(options.SqliteConnectionString);
        silo.AddNixFleetStorage(StorageNames.Default, options.SqliteConnectionString);
        // Stream pub-sub state is Orleans' own type, which JSON cannot read back: it keeps Orleans' serializer.
        silo.AddNixFleetStorage(StorageNames.PubSub, options.SqliteConnectionString, json: false);
        silo.AddMemoryStreams(StreamProvider, b =>
        {
            b.ConfigurePullingAgent(o => o.Configure(p => p.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20)));
            // Our subscribers only follow live (output is read from the store first), so nothing rewinds: keep
            // seconds of events, not Orleans' default of at least 30 minutes, which at 10,000 heartbeating hosts
            // (the fleet-hosts stream carries every change) grew the process by about 1 MB a second.
            b.ConfigureCacheEviction(o => o.Configure(e =>
            {
                e.DataMinTimeInCache = StreamCacheKeep;
                e.DataMaxAgeInCache = StreamCacheKeep;
            }));
        });
        // The directory cache is sized for a million grains by default (two arrays of 9 MB up front); a single
        // node holds one activation per host plus a few, and a miss only costs a directory lookup.
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(options);
        silo.Services.TryAddSingleton<SqliteDatabase>();
        silo.Services.TryAddSingleton<FleetChangeBuffer>();
        silo.Services.TryAddKeyedSingleton<TimeProvider>(HostSilenceWatch.ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        silo.Services.TryAddSingleton<HostSilenceWatch>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<HostSilenceWatch>());
        silo.Services.TryAddSingleton<AgentTokenStore>();
        silo.Services.TryAddSingleton<IHostTokenRevoker>(sp => sp.GetRequiredService<AgentTokenStore>());
        silo.AddNixFleetCommands(options);
        return silo;
    }

    /// <summary>Command machinery: grain clock, limits, output store and its retention, audit sink, rollout resume.</summary>
    public static ISiloBuilder AddNixFleetCommands(this ISiloBuilder silo, NixFleetOptions options)
    {
        var s = silo.Services;
        s.TryAddKeyedSingleton<TimeProvider>(NixFleetClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());
        s.TryAddSingleton(new CommandOptions { OutputRetention = options.OutputRetention, ReconnectWithin = options.ReconnectWindow });
        s.TryAddSingleton<SqliteCommandLog>();
        s.TryAddSingleton<ICommandLog>(sp => sp.GetRequiredService<SqliteCommandLog>());
        s.TryAddSingleton<ICommandAuditSink, LoggingCommandAuditSink>();
        s.TryAddSingleton<CommandOutputHub>();
        s.TryAddTransient<CommandOutputFollower>();
        s.AddHostedService<CommandLogRetention>();
        s.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RolloutResumer>();
        return silo;
    }

    public static ISiloBuilder AddNixFleetStorage(this ISiloBuilder silo, string name, string connectionString, bool json = true)
    {
        silo.Services.TryAddSingleton<SqliteWriteGate>();
        silo.Services.AddGrainStorage(name, (sp, key) =>
        {
            var orleans = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp);
            return new SqliteGrainStorage(key, sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, connectionString,
                json ? new JsonGrainStateSerializer(orleans) : orleans, sp.GetRequiredService<IActivatorProvider>(),
                sp.GetRequiredService<SqliteWriteGate>(), sp.GetRequiredService<ILogger<SqliteGrainStorage>>());
        });
        return silo;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
