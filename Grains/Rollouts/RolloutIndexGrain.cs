using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Grains.Rollouts;

/// <summary>Lists rollouts and wakes the unfinished ones after a restart.</summary>
public sealed class RolloutIndexGrain(
    [PersistentState("rollouts", StorageNames.Default)] IPersistentState<RolloutIndexState> state) : Grain, IRolloutIndexGrain
{
    public async Task AddAsync(string rolloutId)
    {
        if (state.State.All.Contains(rolloutId)) return;
        state.State.All.Add(rolloutId);
        state.State.Active.Add(rolloutId);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync(int offset, int limit) =>
        Task.FromResult<IReadOnlyList<string>>(Enumerable.Reverse(state.State.All).Skip(Math.Max(0, offset)).Take(Math.Clamp(limit, 1, 500)).ToList());

    public Task ResumeAllAsync() =>
        Task.WhenAll(state.State.Active.Select(id => GrainFactory.GetGrain<IRolloutGrain>(id).ResumeAfterRestartAsync()));

    public async Task EndedAsync(string rolloutId)
    {
        if (state.State.Active.Remove(rolloutId)) await state.WriteStateAsync();
    }
}
