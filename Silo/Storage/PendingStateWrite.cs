namespace NixFleet.Silo.Storage;

/// <summary>
/// One write or clear waiting for the next group commit. <see cref="Payload"/> null clears the state;
/// <see cref="Version"/> is the version the grain last saw (null: it believes there is no row).
/// </summary>
internal sealed class PendingStateWrite(GrainStateKey key, byte[]? payload, int? version)
{
    public GrainStateKey Key { get; } = key;
    public byte[]? Payload { get; } = payload;
    public int? Version { get; } = version;

    public TaskCompletionSource<StateWriteOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What a write came to: the new version (null after clearing a state that was never stored), or a conflict.</summary>
internal readonly record struct StateWriteOutcome(bool Conflict, int? Version)
{
    public static readonly StateWriteOutcome Conflicted = new(true, null);
}
