using Microsoft.Extensions.DependencyInjection;
using NixFleet.Grains.Interfaces.Fleet;
using Orleans.Storage;

namespace NixFleet.Grains.Fleet;

/// <summary>
/// The summary of every host, in memory, saved by page (<see cref="FleetIndexPages"/>): a save writes only the
/// pages whose hosts changed. Membership changes are saved at once, but at most once per
/// <see cref="MembershipWriteGap"/> (a fleet registering for the first time would otherwise save four times a
/// second); other updates (metrics, last seen) by a timer every <see cref="FlushEvery"/>, the same cap as a
/// host's own state.
/// </summary>
public sealed class FleetIndexGrain(
    [PersistentState("fleet", StorageNames.Default)] IPersistentState<FleetIndexState> wholeIndex,
    [FromKeyedServices(StorageNames.Default)] IGrainStorage storage) : Grain, IFleetIndexGrain
{
    internal static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan MembershipWriteGap = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, HostSummary> _hosts = new(StringComparer.Ordinal);
    private readonly FleetIndexPages _pages = new(storage);
    private readonly HashSet<int> _dirtyPages = [];
    private long? _lastWriteAt; // Environment.TickCount64 of the last write
    private IGrainTimer? _membershipWrite;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Nobody is connected to a freshly activated index; hosts push themselves back as they return.
        foreach (var summary in await _pages.LoadAsync()) _hosts[summary.Hostname] = summary with { Online = false };
        await MoveWholeIndexAsync(cancellationToken);
        this.RegisterGrainTimer(FlushAsync, FlushEvery, FlushEvery);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public async Task ApplyAsync(HostChanges changes)
    {
        var added = false;
        foreach (var summary in changes.Updated) added |= Put(summary);
        foreach (var name in changes.Removed) added |= Drop(name);
        if (added) await WriteMembershipAsync();
    }

    public async Task RemoveAsync(string hostname)
    {
        if (Drop(hostname)) await FlushAsync(default);
    }

    public Task<IReadOnlyList<HostSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<HostSummary>>(_hosts.Values.OrderBy(h => h.Hostname, StringComparer.Ordinal).ToList());

    /// <summary>True when the host is new to the index.</summary>
    private bool Put(HostSummary summary)
    {
        _dirtyPages.Add(FleetIndexPages.Of(summary.Hostname));
        var isNew = _hosts.TryAdd(summary.Hostname, summary);
        if (!isNew) _hosts[summary.Hostname] = summary;
        return isNew;
    }

    private bool Drop(string hostname)
    {
        if (!_hosts.Remove(hostname)) return false;
        _dirtyPages.Add(FleetIndexPages.Of(hostname));
        return true;
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

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_dirtyPages.Count == 0) return;
        var pages = _dirtyPages.ToDictionary(p => p, _ => new List<HostSummary>());
        _dirtyPages.Clear();
        foreach (var (name, summary) in _hosts)
            if (pages.TryGetValue(FleetIndexPages.Of(name), out var page)) page.Add(summary);
        await Task.WhenAll(pages.Select(p => SaveAsync(p.Key, p.Value, ct)));
        _lastWriteAt = Environment.TickCount64;
    }

    private async Task SaveAsync(int page, List<HostSummary> hosts, CancellationToken ct)
    {
        try
        {
            await _pages.SaveAsync(page, hosts).WaitAsync(ct);
        }
        catch
        {
            _dirtyPages.Add(page); // try again on the next tick
            throw;
        }
    }

    /// <summary>Indexes saved before pages were one row: move it into pages once, then drop it.</summary>
    private async Task MoveWholeIndexAsync(CancellationToken ct)
    {
        if (!wholeIndex.RecordExists) return;
        foreach (var (name, summary) in wholeIndex.State.Hosts)
            if (_hosts.TryAdd(name, summary with { Online = false })) _dirtyPages.Add(FleetIndexPages.Of(name));
        await FlushAsync(ct);
        await wholeIndex.ClearStateAsync(ct);
    }
}
