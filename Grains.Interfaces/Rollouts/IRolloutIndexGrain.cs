namespace NixFleet.Grains.Interfaces.Rollouts;

/// <summary>Ids of every rollout, newest last, for listing and for resuming after a restart. Key <see cref="Key"/>.</summary>
public interface IRolloutIndexGrain : IGrainWithStringKey
{
    const string Key = "rollouts";

    Task AddAsync(string rolloutId);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(int offset, int limit);

    /// <summary>Wakes every rollout that had not ended.</summary>
    Task ResumeAllAsync();

    [Orleans.Concurrency.OneWay] Task EndedAsync(string rolloutId);
}
