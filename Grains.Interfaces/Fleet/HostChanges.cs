namespace NixFleet.Grains.Interfaces.Fleet;

/// <summary>A batch of host changes: the latest summary of each changed host, and the hosts removed.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.host-changes")]
public sealed record HostChanges(
    [property: Id(0)] IReadOnlyList<HostSummary> Updated,
    [property: Id(1)] IReadOnlyList<string> Removed)
{
    /// <summary>
    /// This batch as batches of at most <paramref name="size"/> summaries (removals go with the first). A batch is
    /// serialized whole: one of a few hundred summaries needs buffers and reference tables on the large object heap,
    /// and every such allocation brings the next full collection nearer.
    /// </summary>
    public IEnumerable<HostChanges> Split(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (Updated.Count <= size)
        {
            yield return this;
            yield break;
        }
        var removed = Removed;
        foreach (var part in Updated.Chunk(size))
        {
            yield return new HostChanges(part, removed);
            removed = [];
        }
    }
}
