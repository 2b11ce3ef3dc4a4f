using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Silo.Configuration;

namespace NixFleet.Tests.Commands;

/// <summary>Switch, restart and reboot are judged by the agent coming back within the reconnect window, not by the op's hard limit.</summary>
public sealed class ReconnectWindowTests
{
    [Fact]
    public async Task An_agent_dropping_mid_switch_and_not_back_within_the_window_is_timed_out_long_before_the_hard_limit()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var sw = await h.SubmitAsync("hsb0", "switch");
        await agent.WaitReceivedAsync(i => i.Command == "switch");
        await agent.OutputAsync(sw.Id, [(1, "activating the configuration...")]);
        await agent.DisconnectAsync();

        h.Clock.Advance(TimeSpan.FromSeconds(89));
        await Task.Delay(200);
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var late = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.TimedOut);
        Assert.Contains("dropped during switch", late.Message);
        Assert.Contains("90 s", late.Message);
    }

    [Theory]
    [InlineData("reboot")]
    [InlineData("restart")]
    public async Task Reboot_or_restart_without_the_agent_back_within_the_window_is_timed_out(string op)
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0", extensions: false); // the Go agent: no status before it goes
        var cmd = await h.SubmitAsync("hsb0", op);
        await agent.WaitReceivedAsync(i => i.Command == op);
        await agent.DisconnectAsync();

        h.Clock.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(200);
        Assert.Equal(CommandPhase.Dispatched, (await h.Host("hsb0").GetCommandAsync(cmd.Id))!.Phase);
        h.Clock.Advance(TimeSpan.FromSeconds(31));
        var late = await h.WaitPhaseAsync("hsb0", cmd.Id, CommandPhase.TimedOut);
        Assert.Contains("90 s", late.Message);

        await agent.RegisterAsync(); // too late: the verdict stands and nothing is re-sent
        await Task.Delay(200);
        Assert.Equal(CommandPhase.TimedOut, (await h.Host("hsb0").GetCommandAsync(cmd.Id))!.Phase);
        Assert.DoesNotContain(agent.Received, i => i.Command == op);
    }

    [Fact]
    public async Task Reboot_with_the_agent_back_within_the_window_succeeds()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var reboot = await h.SubmitAsync("hsb0", "reboot");
        await agent.WaitReceivedAsync(i => i.Command == "reboot");
        await agent.StatusAsync(reboot.Id, "reboot", "ok", 0, message: "rebooting in 3 s");
        await agent.DisconnectAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(85));
        await Task.Delay(200);

        await agent.RegisterAsync();
        var ok = await h.WaitPhaseAsync("hsb0", reboot.Id, CommandPhase.Succeeded);
        Assert.Contains("back after reboot", ok.Message);
    }

    [Fact]
    public async Task The_window_is_configurable()
    {
        await using var h = await CommandHarness.StartAsync(new CommandOptions
        {
            TickPeriod = TimeSpan.FromMilliseconds(50),
            ReconnectWithin = TimeSpan.FromSeconds(20),
        });
        var agent = await h.ConnectAsync("hsb0");
        var sw = await h.SubmitAsync("hsb0", "switch");
        await agent.WaitReceivedAsync(i => i.Command == "switch");
        await agent.StatusAsync(sw.Id, "switch", "ok", 0);
        await agent.DisconnectAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(200);
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var late = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.TimedOut);
        Assert.Contains("20 s", late.Message);
    }

    private static NixFleetOptions Load(string? value) =>
        SettingsLoader.Load(name => name == Settings.ReconnectWindow.Name ? value : null, new List<string>(), "/tmp");

    [Fact]
    public void The_reconnect_window_setting_defaults_to_90_s_and_reads_durations()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), Load(null).ReconnectWindow);
        Assert.Equal(TimeSpan.FromMinutes(3), Load("3m").ReconnectWindow);
        Assert.Equal(TimeSpan.FromSeconds(90), new CommandOptions().ReconnectWithin);
        Assert.Contains(Settings.ReconnectWindow, Settings.All);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("-90s")]
    public void A_bad_reconnect_window_is_a_configuration_error_naming_the_variable(string value)
    {
        var e = Assert.Throws<ConfigurationError>(() => Load(value));
        Assert.Equal("NIXFLEET_RECONNECT_WINDOW", e.Variable);
    }
}
