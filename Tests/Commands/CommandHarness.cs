using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Hosts;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Silo.Commands;
using NixFleet.Tests.Support;
using Orleans.TestingHost;

namespace NixFleet.Tests.Commands;

/// <summary>Keeps the audit events grains report, in place of the web's audit table.</summary>
public sealed class RecordingAuditSink : ICommandAuditSink
{
    public System.Collections.Concurrent.ConcurrentQueue<CommandAuditEvent> Events { get; } = new();

    public Task RecordAsync(CommandAuditEvent e)
    {
        Events.Enqueue(e);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A TestingHost cluster on a real SQLite file with a controllable grain clock. Restarting keeps the file
/// and the clock, as a dashboard restart keeps its database.
/// </summary>
public sealed class CommandHarness : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly bool _ownsDir = true;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public RecordingAuditSink Audit { get; } = new();
    public CommandOptions Options { get; }
    public TestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;
    public string DbPath => _dir.File("nixfleet.db");

    private readonly bool _silenceOnClock;

    private CommandHarness(CommandOptions options, bool silenceOnClock) => (Options, _silenceOnClock) = (options, silenceOnClock);

    /// <param name="silenceOnClock">The silo's silence watch runs on <see cref="Clock"/> too (it runs on real time
    /// otherwise, so that moving the clock by minutes does not take silent test agents offline).</param>
    public static async Task<CommandHarness> StartAsync(CommandOptions? options = null, bool silenceOnClock = false)
    {
        var h = new CommandHarness(options ?? new CommandOptions { TickPeriod = TimeSpan.FromMilliseconds(50) }, silenceOnClock);
        await h.StartClusterAsync();
        return h;
    }

    private async Task StartClusterAsync() =>
        Cluster = await SqliteCluster.StartAsync(DbPath, siloServices: s =>
        {
            s.AddKeyedSingleton<TimeProvider>(NixFleetClock.Key, Clock);
            if (_silenceOnClock) s.AddKeyedSingleton<TimeProvider>(HostSilenceWatch.ClockKey, Clock);
            s.AddSingleton(Options);
            s.AddSingleton<ICommandAuditSink>(Audit);
        });

    /// <summary>Stops every silo (as a crash or restart of the dashboard would) and starts again on the same file.</summary>
    public async Task RestartAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await StartClusterAsync();
    }

    public IHostGrain Host(string name) => Client.GetGrain<IHostGrain>(name);

    public T SiloService<T>() where T : notnull => ((InProcessSiloHandle)Cluster.Primary!).SiloHost!.Services.GetRequiredService<T>();

    public SqliteCommandLog Log => SiloService<SqliteCommandLog>();

    /// <summary>A follower on this harness's client, with its own output hub (as one web node has).</summary>
    public CommandOutputFollower Follower(CommandOutputHub? hub = null) =>
        new(hub ?? Hub(), Client, Log);

    public CommandOutputHub Hub(int readerBacklog = 50_000) =>
        new(Client, Microsoft.Extensions.Logging.Abstractions.NullLogger<CommandOutputHub>.Instance) { ReaderBacklog = readerBacklog };

    public async Task<SimAgent> ConnectAsync(string host, bool extensions = true, string generation = "abc1234")
    {
        var agent = new SimAgent(this, host, extensions);
        await agent.RegisterAsync(generation);
        return agent;
    }

    public async Task<CommandRecord> SubmitAsync(string host, string op, bool queue = false, bool force = false, IReadOnlyDictionary<string, string>? args = null)
    {
        var r = await Host(host).SubmitCommandAsync(new CommandRequest(op, "alice", args, queue, force));
        Assert.True(r.Accepted, $"{op} refused: {r.Code} {r.Message}");
        return r.Command!;
    }

    /// <summary>Waits (real time, bounded) for a command to reach a phase; the grain's timer ticks every 50 ms.</summary>
    public async Task<CommandRecord> WaitPhaseAsync(string host, string commandId, CommandPhase phase, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        CommandRecord? last = null;
        while (DateTime.UtcNow < until)
        {
            last = await Host(host).GetCommandAsync(commandId);
            if (last?.Phase == phase) return last;
            await Task.Delay(25);
        }
        throw new Xunit.Sdk.XunitException($"{commandId} is {last?.Phase.Name() ?? "unknown"}, expected {phase.Name()}: {last?.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
        finally
        {
            if (_ownsDir) _dir.Dispose();
        }
    }
}
