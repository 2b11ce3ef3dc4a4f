using Microsoft.Extensions.Logging;
using NixFleet.Grains.Interfaces.Rollouts;
using Orleans.Runtime;

namespace NixFleet.Silo.Commands;

/// <summary>When the silo is up, wakes the rollouts that had not ended, so they continue after a restart.</summary>
public sealed partial class RolloutResumer(IGrainFactory grains, ILogger<RolloutResumer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RolloutResumer), ServiceLifecycleStage.Active, OnActiveAsync, _ => Task.CompletedTask);

    private Task OnActiveAsync(CancellationToken ct)
    {
        // Not awaited: silo start must not wait for rollouts and their hosts to wake.
        _ = Task.Run(async () =>
        {
            try
            {
                await grains.GetGrain<IRolloutIndexGrain>(IRolloutIndexGrain.Key).ResumeAllAsync();
            }
            catch (Exception e)
            {
                LogFailed(e);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "Resuming rollouts after start failed")]
    private partial void LogFailed(Exception e);
}
