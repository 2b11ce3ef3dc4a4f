using NixFleet.Grains.Interfaces.Commands;
using Orleans.Concurrency;

namespace NixFleet.Grains.Interfaces.Rollouts;

/// <summary>One rollout, keyed by its id. Its progress is also published on <see cref="CommandStreams.Rollouts"/>.</summary>
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>Starts the rollout; a second start of the same id returns the existing one unchanged.</summary>
    Task<RolloutView> StartAsync(RolloutSpec spec);

    Task<RolloutView?> GetAsync();

    Task<RolloutView?> PauseAsync(string requestedBy);

    Task<RolloutView?> ResumeAsync(string requestedBy);

    /// <summary>No further waves; commands already running finish.</summary>
    Task<RolloutView?> CancelAsync(string requestedBy);

    /// <summary>A host grain reports that a command of this rollout ended. One-way: hosts never wait on rollouts.</summary>
    [OneWay] Task CommandEndedAsync(CommandRecord command);

    /// <summary>Wake up after a restart and continue (or account for what was lost).</summary>
    Task ResumeAfterRestartAsync();
}
