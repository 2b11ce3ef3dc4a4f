using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Grains.Interfaces.Rollouts;
using NixFleet.Web.Api;

namespace NixFleet.Web.Pages.Rollouts;

/// <summary>One rollout: waves and hosts, live over /live/rollouts/{id}; pause, resume and cancel post back here.</summary>
public sealed class RolloutModel(IGrainFactory grains) : PageModel
{
    public RolloutView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!ApiInput.IsRolloutId(id)) return NotFound();
        if (await grains.GetGrain<IRolloutGrain>(id).GetAsync() is not { } view) return NotFound();
        View = view;
        return Page();
    }

    // The grain audits each of these (rollout.pause / .resume / .cancel) with the operator's name, as for the API.
    public Task<IActionResult> OnPostPauseAsync(string id) => ActAsync(id, g => g.PauseAsync(Requester.Of(HttpContext)));

    public Task<IActionResult> OnPostResumeAsync(string id) => ActAsync(id, g => g.ResumeAsync(Requester.Of(HttpContext)));

    public Task<IActionResult> OnPostCancelAsync(string id) => ActAsync(id, g => g.CancelAsync(Requester.Of(HttpContext)));

    private async Task<IActionResult> ActAsync(string id, Func<IRolloutGrain, Task<RolloutView?>> action)
    {
        if (!ApiInput.IsRolloutId(id)) return NotFound();
        return await action(grains.GetGrain<IRolloutGrain>(id)) is null ? NotFound() : Redirect($"/rollouts/{id}");
    }
}
