namespace NixFleet.Grains.Rollouts;

[GenerateSerializer, Alias("nixfleet.rollout-index-state")]
public sealed class RolloutIndexState
{
    /// <summary>Every rollout id, oldest first.</summary>
    [Id(0)] public List<string> All { get; set; } = [];
    /// <summary>Rollouts that have not ended: woken after a restart.</summary>
    [Id(1)] public HashSet<string> Active { get; set; } = new(StringComparer.Ordinal);
}
