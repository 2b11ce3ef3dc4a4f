namespace NixFleet.Web.Hosting;

/// <summary>
/// Collects gen0 once a second. The GC sizes its gen0 budget from the CPU cache the machine reports, which on VMs
/// can be hundreds of MB: a dashboard with thousands of agents then carried that much garbage between
/// collections (the runtime's gen0 size setting is read only from the environment, not from runtimeconfig, so it
/// cannot ship with the build). A gen0 collection costs about a millisecond here, since little of it survives.
/// </summary>
internal sealed class Gen0Collector : BackgroundService
{
    internal static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }
        catch (OperationCanceledException) { }
    }
}
