using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Web.Components;
using NixFleet.Web.Rendering;

namespace NixFleet.Tests.Rendering;

/// <summary>
/// The state block the host page's live connection swaps in: what it says in each phase. (That it arrives live is
/// HostCommandPanelTests' and the browser tests' business; here every phase, including the timeout warning.)
/// </summary>
public sealed class CommandStateRenderTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().BuildServiceProvider();

    private Task<string> RenderAsync(CommandRecord c, bool stopping = false) =>
        new ComponentHtml(_services, _services.GetRequiredService<ILoggerFactory>())
            .RenderAsync(ComponentHtml.Part<_CommandState>(new() { ["Command"] = c, ["Now"] = T0.AddMinutes(3), ["Stopping"] = stopping }));

    private static CommandRecord Command(CommandPhase phase) =>
        new(CommandIds.New("web-1"), "web-1", "pull", null, "operator", phase, false, null, T0, null, DispatchedAt: T0, StartedAt: T0.AddSeconds(1));

    [Fact]
    public async Task Running_command_shows_its_phase_duration_and_a_stop_button_and_the_timeout_warning_once_passed()
    {
        var running = Command(CommandPhase.Running);
        var html = await RenderAsync(running);
        Assert.Contains("data-phase=\"running\"", html);
        Assert.Contains("2m 59s", html);
        Assert.Contains(">Stop</button>", html);
        Assert.Contains($"value=\"{running.Id}\"", html);
        Assert.DoesNotContain("timeout-warning", html);

        html = await RenderAsync(running with { WarnedAt = T0.AddMinutes(2) }, stopping: true);
        Assert.Contains("running longer than expected (since 03:02:00 UTC)", html);
        Assert.Contains("stopping…", html);
    }

    [Fact]
    public async Task Queued_command_can_be_cancelled_and_an_ended_one_shows_exit_code_and_message_as_text()
    {
        var queued = Command(CommandPhase.Queued) with { DispatchedAt = null, StartedAt = null };
        var html = await RenderAsync(queued);
        Assert.Contains(">Cancel</button>", html);
        Assert.Contains("waiting", html);

        var ended = Command(CommandPhase.TimedOut) with { EndedAt = T0.AddMinutes(5), ExitCode = 137, Message = "<b>killed</b>", WarnedAt = T0.AddMinutes(2) };
        html = await RenderAsync(ended);
        Assert.Contains("data-phase=\"timed_out\"", html);
        Assert.Contains("exit <span class=\"mono\">137</span>", html);
        Assert.Contains("&lt;b&gt;killed&lt;/b&gt;", html);
        Assert.DoesNotContain("<button", html);
        Assert.DoesNotContain("timeout-warning", html); // ended: the phase says it
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
