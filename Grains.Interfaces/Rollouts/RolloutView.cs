namespace NixFleet.Grains.Interfaces.Rollouts;

/// <summary>Status of a rollout: running, paused, completed, failed (too many failures) or cancelled.</summary>
public static class RolloutStatus
{
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsEnded(string s) => s is Completed or Failed or Cancelled;
}

/// <summary>
/// One host of a rollout. Phase: <c>pending</c>, <c>skipped</c>, <c>refused</c> (the host refused the
/// command, code in <see cref="Message"/>), or the command's phase name.
/// </summary>
[GenerateSerializer, Immutable, Alias("nixfleet.rollout-host")]
public sealed record RolloutHost(
    [property: Id(0)] string Host,
    [property: Id(1)] int Wave,
    [property: Id(2)] string Phase,
    [property: Id(3)] string? CommandId,
    [property: Id(4)] string? Message)
{
    public const string Pending = "pending";
    public const string Skipped = "skipped";
    public const string Refused = "refused";
}

[GenerateSerializer, Immutable, Alias("nixfleet.rollout-view")]
public sealed record RolloutView(
    [property: Id(0)] string Id,
    [property: Id(1)] RolloutSpec Spec,
    [property: Id(2)] string Status,
    [property: Id(3)] int CurrentWave,
    [property: Id(4)] int WaveCount,
    [property: Id(5)] int Failures,
    [property: Id(6)] IReadOnlyList<RolloutHost> Hosts,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? EndedAt,
    [property: Id(9)] string? Message);
