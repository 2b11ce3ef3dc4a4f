using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Web.Pages.Rollouts;

/// <summary>Rollouts, newest first, a page at a time.</summary>
public sealed class IndexModel(IGrainFactory grains) : PageModel
{
    public const int PageSize = 25;

    public IReadOnlyList<RolloutView> Rollouts { get; private set; } = [];
    public int Offset { get; private set; }
    public bool More { get; private set; }

    public async Task OnGetAsync(int? offset)
    {
        Offset = Math.Clamp(offset ?? 0, 0, 1_000_000);
        var ids = await grains.GetGrain<IRolloutIndexGrain>(IRolloutIndexGrain.Key).ListAsync(Offset, PageSize + 1);
        More = ids.Count > PageSize;
        var views = await Task.WhenAll(ids.Take(PageSize).Select(id => grains.GetGrain<IRolloutGrain>(id).GetAsync()));
        Rollouts = views.OfType<RolloutView>().ToList();
    }
}
