using NixFleet.Agent.Commands;
using NixFleet.Agent.Configuration;
using NixFleet.Agent.Connection;
using NixFleet.Agent.Facts;
using NixFleet.Agent.Metrics;
using NixFleet.Agent.Repo;
using NixFleet.Agent.Status;
using NixFleet.Protocol;

namespace NixFleet.Agent;

/// <summary>The running agent: connection, heartbeats, commands, recovery of a command from before a restart.</summary>
internal sealed class AgentHost : IDashboardHandler
{
    private static readonly TimeSpan GitCheckEvery = TimeSpan.FromMinutes(5);

    private readonly AgentSettings _settings;
    private readonly ConfigRepo _repo;
    private readonly StatusChecks _checks;
    private readonly StatusBoard _board;
    private readonly CommandRunner _runner;
    private readonly DashboardConnection _connection;
    private readonly MetricsSampler _metrics;
    private readonly Outbox _outbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _nixpkgs;
    private readonly SemaphoreSlim _beat = new(1, 1);
    private DateTime _lastGitCheck = DateTime.MinValue;

    public AgentHost(AgentSettings settings)
    {
        _settings = settings;
        Directory.CreateDirectory(settings.StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _repo = new ConfigRepo(settings);
        _board = new StatusBoard(settings.StateDir);
        _checks = new StatusChecks(settings, _repo, _board);
        var outbox = _outbox = new Outbox(settings.OutputBuffer);
        var services = new CommandServices(settings, _repo, _board, _checks, new Reporter(outbox));
        _runner = new CommandRunner(services, new InFlightStore(settings.StateDir), HeartbeatAsync, RestartAsync, ReplacedAsync);
        _connection = new DashboardConnection(settings, outbox, this);
        _metrics = new MetricsSampler(settings.Kind);
        _nixpkgs = HostFacts.NixpkgsVersion(settings);
    }

    public async Task<int> RunAsync()
    {
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            Log.Info("SIGTERM: exiting; a running command continues in its own process group");
            _stop.Cancel();
        });
        _checks.RefreshLock();
        // Before connecting: a command from before the restart is followed (or its end queued) before the first heartbeat.
        _runner.Recover();
        await _metrics.SampleAsync(); // first CPU sample, so the first heartbeat has a real figure
        var connection = _connection.RunAsync(_stop.Token);
        var beats = HeartbeatLoopAsync(_stop.Token);
        await connection;
        await Task.WhenAny(beats, Task.Delay(1000));
        return 0;
    }

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_settings.IntervalSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) await HeartbeatAsync();
        }
        catch (OperationCanceledException) { }
    }

    public async Task<byte[]> RegisterFrameAsync()
    {
        _checks.RefreshBinary();
        var b = _checks.Binary;
        var payload = new RegisterPayload(_settings.Hostname, HostFacts.HostType(_settings.Kind), b.Version, HostFacts.OsVersion(_settings.Kind),
            _nixpkgs, await _repo.HeadAsync(), _settings.ThemeColor, _settings.IntervalSeconds, _settings.Location, _settings.DeviceType,
            _settings.RepoUrl ?? "", _settings.RepoDir, b.SourceCommit, b.StorePath, b.Hash, [Capabilities.CommandId, Capabilities.Ack]);
        return Envelope.Serialize(MessageTypes.Register, payload, ProtocolJsonContext.Default.RegisterPayload);
    }

    public async Task OnRegisteredAsync()
    {
        Log.Info($"registered as {_settings.Hostname}");
        // Queued behind what waited for this connection (replayed output, the end of a command that finished
        // meanwhile), so the dashboard hears how the command ended before it hears that nothing runs.
        await HeartbeatAsync();
    }

    public void OnCommand(CommandPayload command)
    {
        Log.Info($"command {command.Command} ({command.CommandId ?? "no id"})");
        _runner.Handle(command);
    }

    public void OnKill(KillCommandPayload kill) => _runner.Kill(kill);

    private async Task HeartbeatAsync()
    {
        if (!_connection.IsConnected) return;
        await _beat.WaitAsync();
        try { await BeatAsync(); }
        finally { _beat.Release(); }
    }

    private async Task BeatAsync()
    {
        if (DateTime.UtcNow - _lastGitCheck > GitCheckEvery && _runner.Current.Command is null)
        {
            _lastGitCheck = DateTime.UtcNow;
            await _checks.RefreshGitAsync();
        }
        var b = _checks.Binary;
        var payload = new HeartbeatPayload(await _repo.HeadAsync(), _nixpkgs, null, null, await _metrics.SampleAsync(), _board.Current,
            b.SourceCommit, b.StorePath, b.Hash, _checks.LockHash);
        // Through the outbox, in order with output and command ends: a heartbeat never overtakes the status it follows.
        _runner.QueueWithCurrent((command, pid) => Envelope.Serialize(MessageTypes.Heartbeat,
            payload with { PendingCommand = command, CommandPid = pid }, ProtocolJsonContext.Default.HeartbeatPayload), _outbox);
        if (_runner.Current.Command is null) IdleMemory.AfterHeartbeat();
    }

    private async Task RestartAsync()
    {
        await _connection.FlushAsync(TimeSpan.FromSeconds(5));
        Log.Info("restart requested: exiting for the service manager to start the agent again");
        Environment.Exit(0);
    }

    private async Task ReplacedAsync(string why)
    {
        await _connection.DeliverAsync(TimeSpan.FromSeconds(5));
        Log.Info($"exiting for the service manager to start the new agent binary ({why})");
        Environment.Exit(0);
    }
}
