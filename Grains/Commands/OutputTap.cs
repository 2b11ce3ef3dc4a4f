using System.Threading.Channels;
using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Grains.Commands;

/// <summary>
/// One reader's queue of a command's live output batches (<see cref="CommandOutputHub"/>). Bounded by lines:
/// past the limit it is closed as <see cref="Overflowed"/>, keeping what it already holds, and the reader
/// takes the rest from the store. Dispose to stop following.
/// </summary>
public sealed class OutputTap : IDisposable
{
    private readonly CommandOutputHub _hub;
    private readonly int _limit;
    private readonly Channel<OutputBatch> _batches = Channel.CreateUnbounded<OutputBatch>(new UnboundedChannelOptions { SingleReader = true });
    private int _queued;
    private int _overflowed;

    internal OutputTap(CommandOutputHub hub, CommandOutputHub.Feed feed, int limit)
    {
        _hub = hub;
        Feed = feed;
        _limit = limit;
    }

    internal CommandOutputHub.Feed Feed { get; }

    /// <summary>The reader fell behind and was cut off; lines after those queued must come from the store.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) == 1;

    /// <returns>false when the batch would pass the limit: the tap is closed.</returns>
    internal bool Offer(OutputBatch batch)
    {
        if (Overflowed) return false;
        if (Interlocked.Add(ref _queued, Math.Max(1, batch.Lines.Count)) > _limit)
        {
            Volatile.Write(ref _overflowed, 1);
            _batches.Writer.TryComplete();
            return false;
        }
        return _batches.Writer.TryWrite(batch);
    }

    /// <summary>Waits for at least one batch and takes every batch queued; null once the tap is closed and empty.</summary>
    public async ValueTask<List<OutputBatch>?> TakeAsync(CancellationToken ct)
    {
        if (!await _batches.Reader.WaitToReadAsync(ct)) return null;
        var taken = new List<OutputBatch>();
        while (_batches.Reader.TryRead(out var b))
        {
            taken.Add(b);
            Interlocked.Add(ref _queued, -Math.Max(1, b.Lines.Count));
        }
        return taken;
    }

    public void Dispose()
    {
        _batches.Writer.TryComplete();
        _hub.Leave(this);
    }
}
