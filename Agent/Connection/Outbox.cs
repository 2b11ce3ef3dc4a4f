using NixFleet.Protocol;

namespace NixFleet.Agent.Connection;

/// <summary>
/// Frames that must reach the dashboard, in the order they were made. Output lines stay until the dashboard
/// acknowledges their <c>seq</c> (they are resent after every reconnect); other frames leave once sent, except
/// snapshots (heartbeats), which a reconnect discards unsent: they describe a moment, and a fresh one follows.
/// Output is bounded: past the bound the oldest unsent lines are dropped and counted, and the count is
/// announced as one output line of its own.
/// </summary>
internal sealed class Outbox(int capacity)
{
    private sealed class Entry(byte[] frame, string? commandId, long seq, bool isOutput, bool isSnapshot = false)
    {
        public byte[] Frame { get; } = frame;
        public string? CommandId { get; } = commandId;
        public long Seq { get; } = seq;
        public bool IsOutput { get; } = isOutput;
        public bool IsSnapshot { get; } = isSnapshot;
        public bool Sent { get; set; }
    }

    private sealed record Drops(long Count, long LastSeq, string Command, long Announced);

    private readonly Lock _lock = new();
    private readonly LinkedList<Entry> _entries = new();
    private readonly Dictionary<string, Drops> _drops = new();
    private int _outputs;

    public event Action? Changed;

    public int PendingOutputs { get { lock (_lock) return _outputs; } }

    /// <summary>Whether the dashboard ever acknowledged output: a Go-style dashboard never does.</summary>
    public bool AcksSeen { get; private set; }

    public void Add(byte[] frame)
    {
        lock (_lock) _entries.AddLast(new Entry(frame, null, 0, false));
        Changed?.Invoke();
    }

    /// <summary>A frame that is only worth sending on the connection it was made for (a heartbeat).</summary>
    public void AddSnapshot(byte[] frame)
    {
        lock (_lock) _entries.AddLast(new Entry(frame, null, 0, false, isSnapshot: true));
        Changed?.Invoke();
    }

    public void AddOutput(string? commandId, string command, long seq, byte[] frame)
    {
        lock (_lock)
        {
            _entries.AddLast(new Entry(frame, commandId, seq, true));
            _outputs++;
            while (_outputs > capacity) DropOldestOutput(command);
        }
        Changed?.Invoke();
    }

    private void DropOldestOutput(string command)
    {
        for (var node = _entries.First; node is not null; node = node.Next)
        {
            if (!node.Value.IsOutput) continue;
            _entries.Remove(node);
            _outputs--;
            if (!node.Value.Sent)
            {
                var key = node.Value.CommandId ?? "";
                var d = _drops.GetValueOrDefault(key) ?? new Drops(0, 0, command, 0);
                _drops[key] = d with { Count = d.Count + 1, LastSeq = Math.Max(d.LastSeq, node.Value.Seq) };
            }
            return;
        }
    }

    /// <summary>The dashboard stored output of <paramref name="commandId"/> up to <paramref name="seq"/>.</summary>
    public void Ack(string commandId, long seq)
    {
        lock (_lock)
        {
            AcksSeen = true;
            for (var node = _entries.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.IsOutput && node.Value.CommandId == commandId && node.Value.Seq <= seq)
                {
                    _entries.Remove(node);
                    _outputs--;
                }
                node = next;
            }
        }
    }

    /// <summary>After a reconnect everything still held is sent again, except stale snapshots.</summary>
    public void MarkAllUnsent()
    {
        lock (_lock)
        {
            for (var node = _entries.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.IsSnapshot) _entries.Remove(node);
                else node.Value.Sent = false;
                node = next;
            }
        }
    }

    /// <summary>The next frame to send (a drop notice first, when lines were lost), or null.</summary>
    public (byte[] Frame, object Token)? Peek()
    {
        lock (_lock)
        {
            foreach (var (id, d) in _drops)
            {
                if (d.Announced == d.Count) continue;
                var notice = new OutputPayload($"[nixfleet-agent] {d.Count} output lines dropped: the replay buffer ({capacity} lines) was full",
                    "stderr", d.Command, true, id.Length == 0 ? null : id, d.LastSeq);
                return (Envelope.Serialize(MessageTypes.Output, notice, ProtocolJsonContext.Default.OutputPayload), id);
            }
            foreach (var e in _entries)
                if (!e.Sent) return (e.Frame, e);
            return null;
        }
    }

    /// <summary>Marks what <see cref="Peek"/> returned as sent.</summary>
    public void Sent(object token)
    {
        lock (_lock)
        {
            if (token is string id && _drops.TryGetValue(id, out var d)) _drops[id] = d with { Announced = d.Count };
            else if (token is Entry e)
            {
                e.Sent = true;
                if (!e.IsOutput) _entries.Remove(e);
            }
        }
    }
}
