using NixFleet.Grains.Interfaces.Fleet;

namespace NixFleet.Grains.Fleet;

/// <summary>
/// The summary of every host. The whole index is one row, so with 10,000 hosts each write serialises megabytes:
/// membership changes are written at once, but at most one such write per <see cref="MembershipWriteGap"/> (a fleet
/// registering for the first time would otherwise rewrite it four times a second); other updates (metrics, last
/// seen) by a timer every <see cref="FlushEvery"/>, the same cap as a host's own state.
/// </summary>
public sealed class FleetIndexGrain(
    [PersistentState("fleet", StorageNames.Default)] IPersistentState<FleetIndexState> state) : Grain, IFleetIndexGrain
{
    internal static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan MembershipWriteGap = TimeSpan.FromSeconds(2);

    private bool _dirty;
    private long? _lastWriteAt; // Environment.TickCount64 of the last write
    private IGrainTimer? _membershipWrite;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Nobody is connected to a freshly activated index; hosts push themselves back as they return.
        foreach (var (name, summary) in state.State.Hosts.ToList())
            state.State.Hosts[name] = summary with { Online = false };
        this.RegisterGrainTimer(FlushAsync, FlushEvery, FlushEvery);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public async Task UpsertAsync(HostSummary summary)
    {
        var isNew = state.State.Hosts.TryAdd(summary.Hostname, summary);
        if (!isNew) state.State.Hosts[summary.Hostname] = summary;
        _dirty = true;
        if (isNew) await FlushAsync(default);
    }

    public async Task ApplyAsync(HostChanges changes)
    {
        var added = false;
        foreach (var summary in changes.Updated)
        {
            added |= state.State.Hosts.TryAdd(summary.Hostname, summary);
            state.State.Hosts[summary.Hostname] = summary;
        }
        foreach (var name in changes.Removed) added |= state.State.Hosts.Remove(name);
        _dirty = true;
        if (added) await WriteMembershipAsync();
    }

    /// <summary>Writes now, or (when the last write was under <see cref="MembershipWriteGap"/> ago) once that gap has passed.</summary>
    private Task WriteMembershipAsync()
    {
        var since = _lastWriteAt is { } last ? TimeSpan.FromMilliseconds(Environment.TickCount64 - last) : MembershipWriteGap;
        if (since >= MembershipWriteGap) return FlushAsync(default);
        // One shot. Disposing the timer cancels the token it passes, so it is disposed after the write.
        _membershipWrite ??= this.RegisterGrainTimer(async () =>
        {
            var timer = _membershipWrite;
            _membershipWrite = null;
            try { await FlushAsync(default); }
            finally { timer?.Dispose(); }
        }, MembershipWriteGap - since, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public async Task RemoveAsync(string hostname)
    {
        if (state.State.Hosts.Remove(hostname))
        {
            _dirty = true;
            await FlushAsync(default);
        }
    }

    public Task<IReadOnlyList<HostSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<HostSummary>>(state.State.Hosts.Values.OrderBy(h => h.Hostname, StringComparer.Ordinal).ToList());

    private async Task FlushAsync(CancellationToken ct)
    {
        if (!_dirty) return;
        _dirty = false;
        try
        {
            await state.WriteStateAsync(ct);
            _lastWriteAt = Environment.TickCount64;
        }
        catch
        {
            _dirty = true; // try again on the next tick
            throw;
        }
    }
}
