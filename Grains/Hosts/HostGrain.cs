using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Fleet;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>
/// Owns one host: registration facts, liveness, status compartments. Heartbeats are memory updates;
/// storage is written on meaningful change, otherwise every <see cref="PersistEvery"/> plus up to
/// <see cref="PersistJitter"/> (never more often than once a minute).
/// </summary>
public sealed partial class HostGrain(
    [PersistentState("host", StorageNames.Default)] IPersistentState<HostState> state,
    [FromKeyedServices(NixFleetClock.Key)] TimeProvider clock,
    IHostTokenRevoker tokens,
    FleetChangeBuffer fleetChanges,
    HostSilenceWatch silence,
    ILogger<HostGrain> logger) : Grain, IHostGrain
{
    internal static readonly TimeSpan PersistEvery = TimeSpan.FromSeconds(60);
    // A fleet registers within seconds of a dashboard start; without a random spread its routine writes would come
    // in the same burst every minute for good (10,000 hosts: 600 writes a second for 17 s, then none).
    internal static readonly TimeSpan PersistJitter = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan MinSilence = TimeSpan.FromSeconds(15);

    private HostLiveness _live = HostLiveness.None;
    private DateTimeOffset _nextPersist;
    private HostSilenceWatch.Watched? _watched;

    private string Hostname => this.GetPrimaryKeyString();
    // The local per-silo batcher; changes go into its buffer, and it is called only to wake it (once per batch).
    private IFleetEventsGrain FleetEvents => GrainFactory.GetGrain<IFleetEventsGrain>(0);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Connections do not survive a restart: every host starts offline until its agent is back. Memory only:
        // a stored "online" means nothing to a new activation, and 10,000 hosts coming back must not cost a write each.
        state.State.Online = false;
        // The first routine write of a fleet that reconnects after a restart is spread over a minute too.
        _nextPersist = clock.GetUtcNow() + PersistEvery * Random.Shared.NextDouble();
        await RecoverCommandsAsync();
    }

    public async Task RegisterAsync(HostRegistration registration, string connectionId, IAgentConnection connection)
    {
        var now = clock.GetUtcNow();
        var previous = _live;
        _live = new HostLiveness(connectionId, connection);
        if (previous.Connection is not null && previous.ConnectionId != connectionId)
        {
            LogReplaced(Hostname, previous.ConnectionId);
            _ = previous.Connection.CloseAsync(1008, "replaced by a newer connection of the same host");
        }

        var s = state.State;
        // A reconnect that brings no new fact is not worth a write (a fleet returning after a restart).
        var changed = s.FirstSeen is null || s.Generation != registration.Generation || !SameRegistration(s.Registration, registration);
        s.Registration = registration;
        _watched = silence.Watch(Hostname, connectionId, SilenceLimit());
        s.FirstSeen ??= now;
        s.LastSeen = now;
        s.Generation = registration.Generation;
        s.Online = true;
        if (changed) await PersistAsync();
        await PushSummaryAsync();
        await OnAgentRegisteredAsync();
    }

    private static bool SameRegistration(HostRegistration? a, HostRegistration b) =>
        a is not null && a with { Capabilities = b.Capabilities } == b && a.Capabilities.SequenceEqual(b.Capabilities);

    public async Task<bool> HeartbeatAsync(HostHeartbeat heartbeat, string connectionId)
    {
        // No connection known (this activation is new, or the host went offline): the gateway registers again.
        if (_live.ConnectionId is null) return false;
        // A replaced connection is being closed by its gateway; its last beats change nothing.
        if (_live.ConnectionId != connectionId) return true;
        var now = clock.GetUtcNow();
        _watched?.Heard();

        var s = state.State;
        var meaningful = heartbeat.Generation is { Length: > 0 } g && g != s.Generation
            || heartbeat.Compartments is { } c && !c.SameAs(s.Compartments)
            || heartbeat.PendingCommand != s.LastHeartbeat?.PendingCommand
            || s.LastHeartbeat is { } last && last.Binary != heartbeat.Binary;
        var kept = HeartbeatReuse.Keep(s.LastHeartbeat, heartbeat);
        s.LastHeartbeat = kept;
        s.LastSeen = now;
        if (kept.Generation is { Length: > 0 } gen) s.Generation = gen;
        if (kept.Compartments is { } comp) s.Compartments = comp;
        if (heartbeat.Metrics is { } metrics) _metrics.Add(now, metrics);

        if (meaningful || now >= _nextPersist) await PersistAsync();
        await PushSummaryAsync();
        await OnAgentHeartbeatAsync(heartbeat);
        return true;
    }

    public async Task DisconnectedAsync(string connectionId)
    {
        if (_live.ConnectionId != connectionId) return;
        await GoOfflineAsync("connection closed");
    }

    public Task<HostView> GetAsync()
    {
        var s = state.State;
        return Task.FromResult(new HostView(Hostname, s.Registration is not null, s.Online, s.Registration, s.LastHeartbeat,
            s.LastSeen, s.FirstSeen, s.Compartments, s.Generation));
    }

    public async Task DeleteAsync()
    {
        if (_live.Connection is { } c) _ = c.CloseAsync(1008, "host deleted");
        _live = HostLiveness.None;
        silence.Forget(Hostname, _watched);
        _watched = null;
        // Tokens first: once they are gone, the old machine cannot come back under this name.
        await tokens.RevokeHostAsync(Hostname);
        await state.ClearStateAsync();
        state.State = new HostState();
        await GrainFactory.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).RemoveAsync(Hostname);
        await FleetEvents.HostRemovedAsync(Hostname);
        DeactivateOnIdle();
    }

    public async Task SilentAsync(string connectionId)
    {
        // A heartbeat may have come since the watch looked.
        if (_live.ConnectionId != connectionId || _live.Connection is null || !state.State.Online || _watched is { Silent: false }) return;
        var limit = SilenceLimit();
        _ = _live.Connection.CloseAsync(1001, $"no heartbeat for {limit.TotalSeconds:0} s");
        await GoOfflineAsync($"silent for more than {limit.TotalSeconds:0} s");
    }

    private TimeSpan SilenceLimit()
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, state.State.Registration?.HeartbeatIntervalSeconds ?? 5));
        return interval * 3 < MinSilence ? MinSilence : interval * 3;
    }

    private async Task GoOfflineAsync(string reason)
    {
        _live = HostLiveness.None;
        silence.Forget(Hostname, _watched);
        _watched = null;
        if (!state.State.Online) return;
        LogOffline(Hostname, reason);
        state.State.Online = false;
        OnAgentGone();
        await PersistAsync();
        await PushSummaryAsync();
    }

    private async Task PersistAsync()
    {
        await state.WriteStateAsync();
        _nextPersist = clock.GetUtcNow() + PersistEvery + PersistJitter * Random.Shared.NextDouble();
    }

    private async Task PushSummaryAsync()
    {
        var s = state.State;
        if (s.Registration is not { } r) return;
        var summary = new HostSummary(Hostname, r.HostType, r.Location, r.DeviceType, r.ThemeColor, s.Online,
            s.LastSeen, s.Generation, r.AgentVersion, s.LastHeartbeat?.Metrics, s.Compartments, s.LastHeartbeat?.PendingCommand);
        if (fleetChanges.Put(summary)) await FleetEvents.HostChangedAsync(summary);
    }

    [LoggerMessage(LogLevel.Information, "Host {Host} offline: {Reason}")]
    private partial void LogOffline(string host, string reason);

    [LoggerMessage(LogLevel.Information, "Host {Host}: connection {Old} replaced by a newer registration")]
    private partial void LogReplaced(string host, string? old);
}
