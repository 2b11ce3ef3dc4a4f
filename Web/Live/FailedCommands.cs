using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using Orleans.Streams;

namespace NixFleet.Web.Live;

/// <summary>
/// The fleet page's "failed (24 h)" counter: commands that ended failed or timed out in the last day, counted in
/// the command log, so it survives a restart and every node shows the same. Read from a cached figure; counted
/// again when a command ends (heard on the all-hosts command-events stream; grains record an end before they
/// publish it) and once a minute as the window slides.
/// </summary>
public sealed partial class FailedCommands(IClusterClient cluster, ICommandLog log, TimeProvider clock, ILogger<FailedCommands> logger) : BackgroundService
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private static readonly TimeSpan Slide = TimeSpan.FromMinutes(1);
    private static readonly CommandPhase[] Counted = [CommandPhase.Failed, CommandPhase.TimedOut];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private volatile int _count;

    public int Count => _count;

    /// <summary>Counts again now; the background loop does this on every command end.</summary>
    public async Task RefreshAsync(CancellationToken ct = default) =>
        _count = await log.CountEndedAsync(Counted, clock.GetUtcNow() - Window, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = cluster.GetStreamProvider(CommandStreams.Provider)
            .GetStream<CommandEvent>(StreamId.Create(CommandStreams.Events, CommandStreams.AllHosts));
        var handle = await stream.SubscribeAsync((e, _) => { Observe(e); return Task.CompletedTask; });
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCountFailed(e); // the last figure stays; the next end or minute tries again
                }
                // Ends arriving while a count runs coalesce into one more count.
                await _wake.WaitAsync(Slide, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally { await handle.UnsubscribeAsync(); }
    }

    private void Observe(CommandEvent e)
    {
        if (e.Kind != CommandEvent.State || !Counted.Contains(e.Command.Phase)) return;
        try { _wake.Release(); }
        catch (SemaphoreFullException) { } // a count is already due
    }

    [LoggerMessage(LogLevel.Warning, "Counting failed commands in the command log failed")]
    private partial void LogCountFailed(Exception e);
}
