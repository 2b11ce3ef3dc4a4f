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

    private readonly Lock _lock = new();
    private Dictionary<string, HostSummary?> _pending = new(StringComparer.Ordinal);
    // What went out last per host, and when (Environment.TickCount64).
    private readonly Dictionary<string, (HostSummary Summary, long At)> _sent = new(StringComparer.Ordinal);
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
    public HostChanges? Take(long now)
    {
        lock (_lock)
        {
            _wakeSent = false;
            if (_pending.Count == 0) return null;
            var updated = new List<HostSummary>();
            var removed = new List<string>();
            Dictionary<string, HostSummary?>? held = null;
            foreach (var (name, summary) in _pending)
            {
                if (summary is null)
                {
                    removed.Add(name);
                    _sent.Remove(name);
                }
                else if (_sent.TryGetValue(name, out var last) && OnlyMetricsMoved(last.Summary, summary)
                         && now - last.At < MetricsEvery.TotalMilliseconds)
                    (held ??= new(StringComparer.Ordinal))[name] = summary;
                else
                {
                    updated.Add(summary);
                    _sent[name] = (summary, now);
                }
            }
            _pending = held ?? new(StringComparer.Ordinal);
            return updated.Count == 0 && removed.Count == 0 ? null : new HostChanges(updated, removed);
        }
    }

    private static bool OnlyMetricsMoved(HostSummary last, HostSummary next) =>
        (last.Metrics is null) == (next.Metrics is null)
        && next.Compartments.SameAs(last.Compartments)
        && last with { Metrics = next.Metrics, LastSeen = next.LastSeen, Compartments = next.Compartments } == next;
}
