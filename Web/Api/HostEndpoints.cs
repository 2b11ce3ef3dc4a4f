using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Api;

/// <summary><c>/api/hosts</c>: the fleet from the index, one host from its grain, and forgetting an offline host.</summary>
public static class HostEndpoints
{
    public static void MapHostApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/hosts", async (IGrainFactory grains) =>
        {
            var all = await grains.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync();
            return TypedResults.Ok(new HostList([.. all.OrderBy(h => h.Hostname, StringComparer.Ordinal).Select(HostJson.From)]));
        }).WithName("ListHosts").WithSummary("All hosts, as {\"hosts\": […]} with NixFleet's field names.");

        api.MapGet("/hosts/{id}", async (string id, IGrainFactory grains) =>
        {
            if (!ApiInput.IsHostname(id)) return ApiInput.BadHostname(id);
            var view = await grains.GetGrain<IHostGrain>(id).GetAsync();
            return view is { Known: true, Registration: not null }
                ? TypedResults.Ok(HostJson.From(view))
                : UnknownHost(id);
        }).WithName("GetHost").Produces<HostJson>().Produces<ApiError>(404).Produces<ApiError>(400);

        api.MapDelete("/hosts/{id}", async (string id, IGrainFactory grains) =>
        {
            if (!ApiInput.IsHostname(id)) return ApiInput.BadHostname(id);
            var host = grains.GetGrain<IHostGrain>(id);
            var view = await host.GetAsync();
            if (!view.Known) return UnknownHost(id);
            if (view.Online) return ApiError.Result(409, ApiError.HostOnline, $"{id} is online; only an offline host can be deleted.");
            await host.DeleteAsync();
            return TypedResults.Ok(new HostDeleted("deleted", id));
        }).WithName("DeleteHost").WithSummary("Forget an offline host (its tokens are revoked); 409 while it is online.")
          .Produces<HostDeleted>().Produces<ApiError>(404).Produces<ApiError>(409).Produces<ApiError>(400);
    }

    internal static IResult UnknownHost(string id) => ApiError.Result(404, "unknown_host", $"no host named {id} has registered.");
}
