using System.Runtime.CompilerServices;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Commands;

/// <summary>
/// Every output line of a command after a given seq: the stored lines, then the live tail, without gap or
/// duplicate. It joins the node's <see cref="CommandOutputHub"/> before reading the store; lines are stored
/// before they are published, so any line missing from the read arrives on the tap, and tap lines at or below
/// the last seq are dropped. A reader cut off for falling behind reads the store from where it was and joins
/// again. Ends when the command has ended and every line is out.
/// </summary>
public sealed class CommandOutputFollower(CommandOutputHub hub, IClusterClient client, ICommandLog log)
{
    /// <summary>Lines per store read while catching up.</summary>
    public const int Page = 5000;

    public async IAsyncEnumerable<StoredOutputLine> FollowAsync(string host, string commandId, long afterSeq,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var chunk in FollowChunksAsync(host, commandId, afterSeq, ct))
            foreach (var line in chunk) yield return line;
    }

    /// <summary>The same lines in chunks: each store page, and everything the tap held at each read.</summary>
    public async IAsyncEnumerable<IReadOnlyList<StoredOutputLine>> FollowChunksAsync(string host, string commandId, long afterSeq,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var last = afterSeq;
        var ended = false;
        while (!ended)
        {
            using var tap = await hub.JoinAsync(commandId, ct);
            await foreach (var page in StoredPagesAsync(commandId, last, long.MaxValue, ct))
            {
                last = page[^1].Seq;
                yield return page;
            }
            var command = await client.GetGrain<IHostGrain>(host).GetCommandAsync(commandId);
            ended = command is null || command.Ended;
            while (!ended && await tap.TakeAsync(ct) is { } batches)
            {
                var chunk = new List<StoredOutputLine>();
                foreach (var batch in batches)
                {
                    foreach (var line in InOrder(batch.Lines))
                    {
                        if (line.Seq <= last) continue;
                        // A hole means lines stored outside this stream's order (an agent replay): fetch them.
                        if (line.Seq > last + 1)
                            await foreach (var missing in StoredPagesAsync(commandId, last, line.Seq, ct)) chunk.AddRange(missing);
                        chunk.Add(line);
                        last = line.Seq;
                    }
                    if (batch.Final) ended = true;
                }
                if (chunk.Count > 0) yield return chunk;
            }
            // Not ended here: the tap overflowed. The store has everything since; read it and join again.
        }
        // The command ended: whatever was stored after the last line seen is the rest.
        await foreach (var page in StoredPagesAsync(commandId, last, long.MaxValue, ct)) yield return page;
    }

    // Published batches are in seq order already (the host grain sorts them once); every reader on the node
    // would otherwise sort the same lines again.
    private static IEnumerable<StoredOutputLine> InOrder(IReadOnlyList<StoredOutputLine> lines)
    {
        for (var i = 1; i < lines.Count; i++)
            if (lines[i].Seq < lines[i - 1].Seq) return lines.OrderBy(l => l.Seq);
        return lines;
    }

    /// <summary>Stored lines with after &lt; seq &lt; before, a page at a time.</summary>
    private async IAsyncEnumerable<IReadOnlyList<StoredOutputLine>> StoredPagesAsync(string commandId, long after, long before,
        [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var page = await log.ReadAsync(commandId, after, Page, ct);
            var wanted = page.Count > 0 && page[^1].Seq >= before ? page.Where(l => l.Seq < before).ToList() : page;
            if (wanted.Count > 0) yield return wanted;
            if (page.Count < Page || wanted.Count < page.Count) yield break;
            after = page[^1].Seq;
        }
    }
}
