using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Web.Api;
using NixFleet.Web.Components;

namespace NixFleet.Web.Pages.Hosts;

/// <summary>
/// One host: everything it registered and last reported, its checks, the last hour of metrics, and its commands
/// (history, the selected command's output, buttons). The GET handlers return the fragments htmx swaps; the POST
/// handlers (Host.Commands.cs) act on commands.
/// </summary>
public sealed partial class HostModel(IGrainFactory grains, TimeProvider clock, IRebootCodeCheck rebootCodes,
    CommandSubmitter submitter, HostFragments fragments) : PageModel
{
    public HostView View { get; private set; } = null!;
    public IReadOnlyList<MetricSample> Metrics { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public CommandPage Commands { get; private set; } = new([], 0);
    public int PageIndex { get; private set; }
    public CommandRecord? Selected { get; private set; }
    public SelectedOutput Output { get; private set; } = SelectedOutput.None;
    public bool TotpRequired { get; private set; }

    public async Task<IActionResult> OnGetAsync(string hostname, string? command, int p = 0)
    {
        if (await KnownHostAsync(hostname) is not { } host) return NotFound();
        View = await host.GetAsync();
        Metrics = await host.GetMetricsAsync();
        Now = clock.GetUtcNow();
        PageIndex = HostFragments.ClampPage(p);
        Commands = await host.GetCommandsAsync(PageIndex * _CommandHistory.PageSize, _CommandHistory.PageSize);
        Selected = await SelectAsync(host, hostname, command);
        Output = await fragments.ReadOutputAsync(Selected, HttpContext.RequestAborted);
        TotpRequired = await rebootCodes.RequiredAsync(HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>One page of the history (the live connection asks again when a command changed).</summary>
    public async Task<IActionResult> OnGetHistoryAsync(string hostname, string? command, int p = 0)
    {
        if (await KnownHostAsync(hostname) is not { } host) return NotFound();
        return Html(await fragments.HistoryAsync(host, hostname, HostFragments.ClampPage(p), command, oob: false));
    }

    /// <summary>Selects a command: the live region (history with that row marked, its output, a connection following it).</summary>
    public async Task<IActionResult> OnGetOutputAsync(string hostname, string? command, int p = 0)
    {
        if (await KnownHostAsync(hostname) is not { } host) return NotFound();
        if (!OwnCommand(hostname, command)) return BadRequest("not a command of this host");
        var selected = await host.GetCommandAsync(command!);
        if (selected is null) return NotFound("no such command");
        return Html(await fragments.LiveRegionAsync(host, hostname, HostFragments.ClampPage(p), selected, oob: false, HttpContext.RequestAborted));
    }

    private async Task<CommandRecord?> SelectAsync(IHostGrain host, string hostname, string? command)
    {
        if (OwnCommand(hostname, command)) return await host.GetCommandAsync(command!);
        if (PageIndex == 0) return Commands.Items.FirstOrDefault();
        return (await host.GetCommandsAsync(0, 1)).Items.FirstOrDefault();
    }

    /// <summary>The host's grain when the name is one an agent could have registered and one did; else null.</summary>
    private async Task<IHostGrain?> KnownHostAsync(string hostname)
    {
        // Never wake a grain for a name no agent could have registered.
        if (!NixFleet.Protocol.HostNames.IsValid(hostname)) return null;
        var host = grains.GetGrain<IHostGrain>(hostname);
        var view = await host.GetAsync();
        return view.Known && view.Registration is not null ? host : null;
    }

    private static bool OwnCommand(string hostname, string? command) =>
        CommandIds.TryGetHost(command, out var owner) && owner == hostname;

    private ContentResult Html(string html, int status = 200) => new() { Content = html, ContentType = "text/html; charset=utf-8", StatusCode = status };
}
