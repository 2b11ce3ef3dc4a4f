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

    /// <summary>
    /// Keeps an ended command for good (beyond the history a host grain holds), written in the same batched
    /// transactions as output. Recording the same id again replaces it.
    /// </summary>
    Task RecordEndedAsync(CommandRecord ended, CancellationToken ct = default);

    /// <summary>
    /// A host's ended commands recorded before <paramref name="olderThanId"/> (all of them when null), newest first,
    /// and how many there are in all. Empty when that command was never recorded.
    /// </summary>
    Task<CommandPage> EndedBeforeAsync(string host, string? olderThanId, int offset, int limit, CancellationToken ct = default);

    /// <summary>Commands of every host that ended in one of <paramref name="phases"/> at or after <paramref name="since"/>.</summary>
    Task<int> CountEndedAsync(IReadOnlyCollection<CommandPhase> phases, DateTimeOffset since, CancellationToken ct = default);

    /// <summary>Deletes lines received before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default);
}
