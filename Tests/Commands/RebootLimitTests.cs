using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Tests.Commands;

public sealed class RebootLimitTests
{
    [Fact]
    public async Task At_most_five_reboots_per_host_per_hour_even_with_force()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        for (var i = 0; i < 5; i++)
        {
            var reboot = await h.SubmitAsync("hsb0", "reboot");
            await agent.DisconnectAsync();
            await agent.RegisterAsync(); // the host is back after the reboot
            await h.WaitPhaseAsync("hsb0", reboot.Id, CommandPhase.Succeeded);
            h.Clock.Advance(TimeSpan.FromMinutes(5));
        }
        var sixth = await h.Host("hsb0").SubmitCommandAsync(new CommandRequest("reboot", "alice", Force: true));
        Assert.Equal(RefusalCodes.RateLimited, sixth.Code);
        await h.ConnectAsync("other");
        Assert.True((await h.Host("other").SubmitCommandAsync(new CommandRequest("reboot", "alice"))).Accepted); // per host

        h.Clock.Advance(TimeSpan.FromMinutes(36)); // the first reboot is now more than an hour ago
        Assert.True((await h.Host("hsb0").SubmitCommandAsync(new CommandRequest("reboot", "alice"))).Accepted);
    }
}
