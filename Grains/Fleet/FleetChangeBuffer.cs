using NixFleet.Grains.Interfaces.Fleet;

namespace NixFleet.Grains.Fleet;

/// <summary>
/// One per silo: host grains leave their latest summary here (a dictionary write, not a grain call per heartbeat)
/// and <see cref="FleetEventsGrain"/> takes the batch. A change the fleet page must show at once (new host, online,
/// generation, status, pending command, first metrics) goes with the next batch; a change of metrics and last seen
/// alone goes at most every <see cref="MetricsEvery"/> per host, the newest one winning. At 10,000 hosts this turns
/// 2,000 summaries a second on the stream, the index and every web node into about 1,000.
/// </summary>
public sealed class FleetChangeBuffer
{
    internal static readonly TimeSpan MetricsEvery = TimeSpan.FromSeconds(10);
    private static readonly long Gap = (long)MetricsEvery.TotalMilliseconds;

    private readonly Lock _lock = new();
    // Put since the last batch (null: removed).
    private readonly Dictionary<string, HostSummary?> _pending = new(StringComparer.Ordinal);
    // Changes of metrics alone, waiting for their host's gap to pass; the newest wins.
    private readonly Dictionary<string, HostSummary> _held = new(StringComparer.Ordinal);
    // What went out last per host, and when (Environment.TickCount64); every send, in time order.
    private readonly Dictionary<string, (HostSummary Summary, long At)> _sent = new(StringComparer.Ordinal);
    private readonly Queue<(string Name, long At)> _due = new();
    private bool _wakeSent;

    /// <summary>Keeps the summary; true when nobody has woken the batcher since its last batch (the caller does).</summary>
    public bool Put(HostSummary summary)
    {
        lock (_lock)
        {
            _pending[summary.Hostname] = summary;
            if (_wakeSent) return false;
            _wakeSent = true;
            return true;
        }
    }

    public void Remove(string hostname)
    {
        lock (_lock) _pending[hostname] = null;
    }

    /// <summary>What is due now, or null; summaries held back stay for a later batch.</summary>
    /// <remarks>
    /// Costs what arrived since the last batch plus what fell due, not the whole fleet: at 10,000 hosts nearly every
    /// host has a summary waiting at any time, and walking them all four times a second was a tenth of the
    /// dashboard's CPU.
    /// </remarks>
    public HostChanges? Take(long now)
    {
        lock (_lock)
        {
            _wakeSent = false;
            var updated = new List<HostSummary>();
            var removed = new List<string>();
            foreach (var (name, summary) in _pending)
            {
                if (summary is null)
                {
                    removed.Add(name);
                    _sent.Remove(name);
                    _held.Remove(name);
                }
                else if (_sent.TryGetValue(name, out var last) && OnlyMetricsMoved(last.Summary, summary)
                         && now - last.At < Gap)
                    _held[name] = summary;
                else
                    Send(name, summary, now, updated);
            }
            _pending.Clear();
            // Sends are queued in time order, so what is due is at the front. An entry whose host was sent again
            // since (or removed) is stale and skipped.
            while (_due.TryPeek(out var d) && now - d.At >= Gap)
            {
                _due.Dequeue();
                if (_sent.TryGetValue(d.Name, out var s) && s.At == d.At && _held.Remove(d.Name, out var waiting))
                    Send(d.Name, waiting, now, updated);
            }
            return updated.Count == 0 && removed.Count == 0 ? null : new HostChanges(updated, removed);
        }
    }

    private void Send(string name, HostSummary summary, long now, List<HostSummary> updated)
    {
        updated.Add(summary);
        _held.Remove(name);
        _sent[name] = (summary, now);
        _due.Enqueue((name, now));
    }

    private static bool OnlyMetricsMoved(HostSummary last, HostSummary next) =>
        (last.Metrics is null) == (next.Metrics is null)
        && next.Compartments.SameAs(last.Compartments)
        && last with { Metrics = next.Metrics, LastSeen = next.LastSeen, Compartments = next.Compartments } == next;
}
