using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using Orleans.Streams;

namespace NixFleet.Grains.Commands;

/// <summary>
/// Every output line of a command after a given seq: the stored lines, then the live tail, without gap or
/// duplicate. It subscribes before reading the store; lines are stored before they are published, so any
/// line missing from the read arrives on the stream, and stream lines at or below the last seq are dropped.
/// Ends when the command has ended and every line is out.
/// </summary>
public sealed class CommandOutputFollower(IClusterClient client, ICommandLog log)
{
    private const int Page = 1000;

    public async IAsyncEnumerable<StoredOutputLine> FollowAsync(string host, string commandId, long afterSeq,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var live = Channel.CreateUnbounded<OutputBatch>(new UnboundedChannelOptions { SingleReader = true });
        var stream = client.GetStreamProvider(CommandStreams.Provider)
            .GetStream<OutputBatch>(StreamId.Create(CommandStreams.Output, commandId));
        var handle = await stream.SubscribeAsync((batch, _) =>
        {
            live.Writer.TryWrite(batch);
            return Task.CompletedTask;
        });
        try
        {
            var last = afterSeq;
            await foreach (var line in StoredAfterAsync(commandId, last, ct))
            {
                last = line.Seq;
                yield return line;
            }
            var command = await client.GetGrain<IHostGrain>(host).GetCommandAsync(commandId);
            var ended = command is null || command.Ended;
            if (!ended)
            {
                await foreach (var batch in live.Reader.ReadAllAsync(ct))
                {
                    foreach (var line in batch.Lines.Where(l => l.Seq > last).OrderBy(l => l.Seq))
                    {
                        if (line.Seq > last + 1)
                        {
                            // A hole means lines stored outside this stream's order (an agent replay): fetch them.
                            await foreach (var missing in StoredAfterAsync(commandId, last, ct))
                            {
                                if (missing.Seq >= line.Seq) break;
                                last = missing.Seq;
                                yield return missing;
                            }
                        }
                        last = line.Seq;
                        yield return line;
                    }
                    if (batch.Final) break;
                }
            }
            // The command ended: whatever was stored after the last line seen is the rest.
            await foreach (var line in StoredAfterAsync(commandId, last, ct)) yield return line;
        }
        finally
        {
            await handle.UnsubscribeAsync();
        }
    }

    private async IAsyncEnumerable<StoredOutputLine> StoredAfterAsync(string commandId, long after,
        [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var page = await log.ReadAsync(commandId, after, Page, ct);
            foreach (var line in page) yield return line;
            if (page.Count < Page) yield break;
            after = page[^1].Seq;
        }
    }
}
