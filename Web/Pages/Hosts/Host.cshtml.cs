using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Pages.Hosts;

/// <summary>One host: everything it registered and last reported, its checks and the last hour of metrics.</summary>
public sealed class HostModel(IGrainFactory grains, TimeProvider clock) : PageModel
{
    public HostView View { get; private set; } = null!;
    public IReadOnlyList<MetricSample> Metrics { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(string hostname)
    {
        // Never wake a grain for a name no agent could have registered.
        if (!NixFleet.Protocol.HostNames.IsValid(hostname)) return NotFound();
        var host = grains.GetGrain<IHostGrain>(hostname);
        View = await host.GetAsync();
        if (!View.Known || View.Registration is null) return NotFound();
        Metrics = await host.GetMetricsAsync();
        Now = clock.GetUtcNow();
        return Page();
    }
}
