using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Grains.Commands;

/// <summary>
/// Append-only store of command output, outside grain state. Writes are batched by the implementation:
/// concurrent appends share one transaction.
/// </summary>
public interface ICommandLog
{
    /// <summary>Stores the lines; returns those that were new (a line already stored under its command id and seq is skipped).</summary>
    Task<IReadOnlyList<StoredOutputLine>> AppendAsync(IReadOnlyList<StoredOutputLine> lines, CancellationToken ct = default);

    /// <summary>Lines of a command with seq greater than <paramref name="afterSeq"/>, in seq order.</summary>
    Task<IReadOnlyList<StoredOutputLine>> ReadAsync(string commandId, long afterSeq, int limit, CancellationToken ct = default);

    Task<long> LastSeqAsync(string commandId, CancellationToken ct = default);

    /// <summary>Deletes lines received before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default);
}
