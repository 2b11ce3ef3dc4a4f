using System.Text.Json;
using NixFleet.Web.Rollouts;
using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Web.Api;

/// <summary><c>/api/rollouts</c>: start one (through <see cref="RolloutStarter"/>, as the fleet page does), list, show, pause, resume, cancel.</summary>
public static class RolloutEndpoints
{
    public static void MapRolloutApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/rollouts", async (HttpContext http, RolloutStarter starter) =>
        {
            var (body, error) = await ApiInput.ReadAsync<StartRolloutBody>(http);
            if (error is not null) return error;
            if (BatchText(body!.BatchSize) is not { } batch)
                return ApiError.Result(422, ApiError.InvalidRequest, "batch_size must be a whole number of hosts (1 or more) or a percentage such as \"25%\".");
            var (view, refused) = await starter.StartAsync(http, new RolloutRequest(body.Command, body.Hosts, body.All, body.Location,
                body.DeviceType, body.HostType, batch, body.Canary, body.MaxFailures, body.WaitBetweenS, body.Force, body.Args, body.TotpCode));
            return view is not null
                ? TypedResults.Accepted($"/api/rollouts/{view.Id}", RolloutJson.From(view))
                : ApiError.Result(refused!.Status, refused.Code, refused.Message);
        }).WithName("StartRollout").Accepts<StartRolloutBody>("application/json")
          .Produces<RolloutJson>(202).Produces<ApiError>(400).Produces<ApiError>(403).Produces<ApiError>(422);

        api.MapGet("/rollouts", async (int? offset, int? limit, IGrainFactory grains) =>
        {
            var (o, l) = ApiInput.Page(offset, limit, 20, 100);
            var ids = await grains.GetGrain<IRolloutIndexGrain>(IRolloutIndexGrain.Key).ListAsync(o, l);
            var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IRolloutGrain>(id).GetAsync()));
            return TypedResults.Ok(new RolloutList([.. views.OfType<RolloutView>().Select(RolloutJson.From)], o, l));
        }).WithName("ListRollouts").WithSummary("Rollouts, newest first.").Produces<RolloutList>();

        api.MapGet("/rollouts/{id}", (string id, IGrainFactory grains) => Act(id, grains, g => g.GetAsync()))
            .WithName("GetRollout").Produces<RolloutJson>().Produces<ApiError>(404);
        api.MapPost("/rollouts/{id}/pause", (string id, HttpContext http, IGrainFactory grains) => Act(id, grains, g => g.PauseAsync(Requester.Of(http))))
            .WithName("PauseRollout").Produces<RolloutJson>().Produces<ApiError>(404);
        api.MapPost("/rollouts/{id}/resume", (string id, HttpContext http, IGrainFactory grains) => Act(id, grains, g => g.ResumeAsync(Requester.Of(http))))
            .WithName("ResumeRollout").Produces<RolloutJson>().Produces<ApiError>(404);
        api.MapPost("/rollouts/{id}/cancel", (string id, HttpContext http, IGrainFactory grains) => Act(id, grains, g => g.CancelAsync(Requester.Of(http))))
            .WithName("CancelRollout").Produces<RolloutJson>().Produces<ApiError>(404);
    }

    private static async Task<IResult> Act(string id, IGrainFactory grains, Func<IRolloutGrain, Task<RolloutView?>> action)
    {
        if (!ApiInput.IsRolloutId(id)) return ApiError.Result(400, ApiError.InvalidId, "a rollout id is 32 hex digits.");
        var view = await action(grains.GetGrain<IRolloutGrain>(id));
        return view is null ? ApiError.Result(404, ApiError.UnknownRollout, $"no rollout {id}.") : TypedResults.Ok(RolloutJson.From(view));
    }

    /// <summary>The batch size as text for <see cref="BatchSize"/>: a JSON number or string; null when it is another kind.</summary>
    private static string? BatchText(JsonElement? value) => value switch
    {
        null => "",
        { ValueKind: JsonValueKind.Null } => "",
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        { ValueKind: JsonValueKind.String } v => string.IsNullOrWhiteSpace(v.GetString()) ? "-" : v.GetString(),
        _ => null,
    };
}
