using System.Globalization;
using NixFleet.Grains.Interfaces.Fleet;
using Orleans.Storage;

namespace NixFleet.Grains.Fleet;

/// <summary>
/// The fleet index in storage, by page: page N holds the hosts whose name falls on N (<see cref="Of"/>), one row
/// each, so a save writes tens of kilobytes rather than the whole fleet. Written through the grain storage by the
/// index itself, not by a grain per page: no calls to other grains while the index deactivates. Only the ETags are
/// kept here; the hosts are the index's.
/// </summary>
public sealed class FleetIndexPages(IGrainStorage storage)
{
    /// <summary>
    /// 128 pages keep a page of 10,000 hosts near 50 KB, under the large object heap's 85 KB: the whole index
    /// in one row allocated ~23 MB there per save and brought on a full collection each minute.
    /// </summary>
    public const int Count = 128;
    private const string StateName = "fleet-page";

    private readonly GrainState<FleetIndexPage>[] _pages = [.. Enumerable.Range(0, Count).Select(_ => new GrainState<FleetIndexPage>(new()))];

    public static int Of(string hostname)
    {
        // FNV-1a over the UTF-16 code units. It must give the same page in every process (string.GetHashCode does
        // not): a host saved to another page than before would stay on the old one too, and a deleted host would
        // come back from it after a restart.
        var hash = 2166136261;
        foreach (var c in hostname) hash = (hash ^ c) * 16777619;
        return (int)(hash % Count);
    }

    public async Task<IReadOnlyList<HostSummary>> LoadAsync()
    {
        await Task.WhenAll(Enumerable.Range(0, Count).Select(p => storage.ReadStateAsync(StateName, Id(p), _pages[p])));
        var hosts = _pages.SelectMany(p => p.State?.Hosts ?? []).ToList();
        foreach (var page in _pages) page.State = new();
        return hosts;
    }

    public async Task SaveAsync(int page, List<HostSummary> hosts)
    {
        var state = _pages[page];
        state.State = new() { Hosts = hosts };
        try { await storage.WriteStateAsync(StateName, Id(page), state); }
        finally { state.State = new(); }
    }

    private static GrainId Id(int page) => GrainId.Create("fleetindexpage", page.ToString(CultureInfo.InvariantCulture));
}
