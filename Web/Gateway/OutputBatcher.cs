using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Gateway;

/// <summary>
/// Collects one socket's output lines so the grain gets them in batches (every few tens of milliseconds or
/// every <see cref="GatewayLimits.OutputBatchLines"/> lines), never one call per line. Order is kept by the
/// session, which flushes under the same gate as every other grain call.
/// </summary>
internal sealed class OutputBatcher
{
    private readonly object _lock = new();
    private List<OutputLine> _pending = [];
    private bool _flushArmed;

    /// <summary>Adds a line; returns whether the batch is full (flush now) and whether a delayed flush must be started.</summary>
    public (bool Full, bool ArmTimer) Add(OutputLine line)
    {
        lock (_lock)
        {
            _pending.Add(line);
            var full = _pending.Count >= GatewayLimits.OutputBatchLines;
            var arm = !full && !_flushArmed;
            if (arm) _flushArmed = true;
            return (full, arm);
        }
    }

    /// <summary>Everything collected so far, oldest first; empty when nothing is pending.</summary>
    public List<OutputLine> TakeAll()
    {
        lock (_lock)
        {
            _flushArmed = false;
            if (_pending.Count == 0) return [];
            var taken = _pending;
            _pending = [];
            return taken;
        }
    }
}
