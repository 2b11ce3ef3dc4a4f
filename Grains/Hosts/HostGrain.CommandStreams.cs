using Microsoft.Extensions.Logging;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

// Live updates. A failed publish is logged, never fails the command: the store and state stay the truth.
public sealed partial class HostGrain
{
    private Task PublishStateAsync(CommandRecord c) => PublishAsync(CommandEvent.State, c);

    private async Task PublishAsync(string kind, CommandRecord c, CommandProgress? progress = null)
    {
        var e = new CommandEvent(kind, c, clock.GetUtcNow(), progress);
        try
        {
            var provider = this.GetStreamProvider(CommandStreams.Provider);
            await provider.GetStream<CommandEvent>(StreamId.Create(CommandStreams.Events, Hostname)).OnNextAsync(e);
            await provider.GetStream<CommandEvent>(StreamId.Create(CommandStreams.Events, CommandStreams.AllHosts)).OnNextAsync(e);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(ex, Hostname, c.Id);
        }
    }

    private async Task PublishOutputAsync(OutputBatch batch)
    {
        try
        {
            await this.GetStreamProvider(CommandStreams.Provider)
                .GetStream<OutputBatch>(StreamId.Create(CommandStreams.Output, batch.CommandId)).OnNextAsync(batch);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(ex, Hostname, batch.CommandId);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Host {Host}: publishing an update of command {CommandId} failed")]
    private partial void LogPublishFailed(Exception e, string host, string commandId);
}
