using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

// Command lifecycle: what agents report about the command they run.
public sealed partial class HostGrain
{
    public Task OutputAsync(string connectionId, IReadOnlyList<OutputLine> lines) => Task.CompletedTask;

    public Task CommandStatusAsync(string connectionId, CommandStatusReport report) => Task.CompletedTask;

    public Task CommandCompleteAsync(string connectionId, CommandCompleteReport report) => Task.CompletedTask;

    public Task CommandRejectedAsync(string connectionId, CommandRejection rejection) => Task.CompletedTask;

    public Task ProgressAsync(string connectionId, CommandProgress progress) => Task.CompletedTask;
}
