using Microsoft.Extensions.Logging;
using NixFleet.Grains.Interfaces.Commands;
using Orleans.Streams;

namespace NixFleet.Grains.Commands;

/// <summary>
/// One per process: a single Orleans stream subscription per command, however many readers here follow it,
/// fanned out to each reader's own bounded <see cref="OutputTap"/>. The stream callback never waits for a
/// reader, so a slow browser cannot slow the agent that prints nor the other readers; one that falls
/// <see cref="ReaderBacklog"/> lines behind is cut off and catches up from the store (see <see cref="CommandOutputFollower"/>).
/// </summary>
public sealed partial class CommandOutputHub(IClusterClient client, ILogger<CommandOutputHub> logger)
{
    /// <summary>Lines a reader may have queued before it is cut off: five seconds of a 10,000 lines/s command.</summary>
    public int ReaderBacklog { get; init; } = 50_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    private long _overflows;

    /// <summary>Commands with a live stream subscription on this node.</summary>
    public int FeedCount { get { lock (_gate) return _feeds.Count; } }

    /// <summary>Readers of a command on this node.</summary>
    public int ReaderCount(string commandId) { lock (_gate) return _feeds.TryGetValue(commandId, out var f) ? f.Taps.Count : 0; }

    /// <summary>Readers cut off for falling behind, since start.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>
    /// A tap on the command's live output: every batch published after this returns is in it (the stream
    /// subscription is active by then), so a reader that reads the store afterwards misses nothing.
    /// </summary>
    public async Task<OutputTap> JoinAsync(string commandId, CancellationToken ct = default)
    {
        Feed feed;
        OutputTap tap;
        lock (_gate)
        {
            if (!_feeds.TryGetValue(commandId, out feed!))
            {
                _feeds[commandId] = feed = new Feed(commandId);
                var starting = feed;
                feed.Subscribed = Task.Run(() => SubscribeAsync(starting));
            }
            tap = new OutputTap(this, feed, ReaderBacklog);
            feed.Taps.Add(tap);
        }
        try
        {
            await feed.Subscribed.WaitAsync(ct);
            return tap;
        }
        catch
        {
            Leave(tap);
            throw;
        }
    }

    internal void Leave(OutputTap tap)
    {
        var feed = tap.Feed;
        lock (_gate)
        {
            if (!feed.Taps.Remove(tap) || feed.Taps.Count > 0) return;
            if (_feeds.GetValueOrDefault(feed.CommandId) == feed) _feeds.Remove(feed.CommandId);
        }
        _ = CloseAsync(feed);
    }

    private async Task<StreamSubscriptionHandle<OutputBatch>> SubscribeAsync(Feed feed)
    {
        var stream = client.GetStreamProvider(CommandStreams.Provider)
            .GetStream<OutputBatch>(StreamId.Create(CommandStreams.Output, feed.CommandId));
        return await stream.SubscribeAsync((batch, _) =>
        {
            Deliver(feed, batch);
            return Task.CompletedTask;
        });
    }

    private void Deliver(Feed feed, OutputBatch batch)
    {
        OutputTap[] taps;
        lock (_gate) taps = [.. feed.Taps];
        foreach (var tap in taps)
        {
            if (tap.Offer(batch)) continue;
            Interlocked.Increment(ref _overflows);
            LogReaderBehind(feed.CommandId);
            Leave(tap);
        }
    }

    private async Task CloseAsync(Feed feed)
    {
        try
        {
            var handle = await feed.Subscribed;
            await handle.UnsubscribeAsync();
        }
        catch (Exception e)
        {
            LogUnsubscribeFailed(e, feed.CommandId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Command {CommandId}: a live output reader fell behind; it catches up from the store")]
    private partial void LogReaderBehind(string commandId);

    [LoggerMessage(LogLevel.Warning, "Command {CommandId}: ending the live output subscription failed")]
    private partial void LogUnsubscribeFailed(Exception e, string commandId);

    internal sealed class Feed(string commandId)
    {
        public string CommandId { get; } = commandId;
        public List<OutputTap> Taps { get; } = [];
        public Task<StreamSubscriptionHandle<OutputBatch>> Subscribed { get; set; } = null!;
    }
}
