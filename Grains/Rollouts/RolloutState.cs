using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Grains.Rollouts;

[GenerateSerializer, Alias("nixfleet.rollout-state")]
public sealed class RolloutState
{
    [Id(0)] public RolloutSpec? Spec { get; set; }
    [Id(1)] public string Status { get; set; } = RolloutStatus.Running;
    /// <summary>The wave started last; -1 before the first.</summary>
    [Id(2)] public int CurrentWave { get; set; } = -1;
    [Id(3)] public int WaveCount { get; set; }
    [Id(4)] public List<RolloutHost> Hosts { get; set; } = [];
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset? EndedAt { get; set; }
    /// <summary>When the next wave may start (wait_between_s after the previous one ended).</summary>
    [Id(7)] public DateTimeOffset? NextWaveAt { get; set; }
    [Id(8)] public string? Message { get; set; }
}
