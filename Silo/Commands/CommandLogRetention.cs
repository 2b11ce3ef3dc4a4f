using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NixFleet.Grains.Commands;

namespace NixFleet.Silo.Commands;

/// <summary>Deletes command output older than the retention (default 30 days), at start and then hourly.</summary>
public sealed partial class CommandLogRetention(ICommandLog log, CommandOptions options, TimeProvider time, ILogger<CommandLogRetention> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var removed = await log.PurgeAsync(time.GetUtcNow() - options.OutputRetention, stoppingToken);
                if (removed > 0) LogPurged(removed, options.OutputRetention.TotalDays);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Information, "Removed {Count} output lines older than {Days} days")]
    private partial void LogPurged(int count, double days);

    [LoggerMessage(LogLevel.Warning, "Purging old command output failed")]
    private partial void LogFailed(Exception e);
}
