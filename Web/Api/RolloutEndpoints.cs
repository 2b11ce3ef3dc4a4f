using System.Globalization;
using System.Text.Json;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Web.Api;

/// <summary><c>/api/rollouts</c>: start one (the selector is resolved here from the fleet index), list, show, pause, resume, cancel.</summary>
public static class RolloutEndpoints
{
    public const int MaxHosts = 10_000;

    public static void MapRolloutApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/rollouts", async (HttpContext http, IGrainFactory grains, CommandSubmitter submit) =>
        {
            var (body, error) = await ApiInput.ReadAsync<StartRolloutBody>(http);
            if (error is not null) return error;
            if (ParseBatch(body!.BatchSize) is not { } batch) return Invalid("batch_size must be a whole number of hosts (1 or more) or a percentage such as \"25%\".");
            var (hosts, problem) = await ResolveHostsAsync(body, grains);
            if (problem is not null) return problem;
            if (await submit.CheckRebootCodeAsync(http, body.Command, body.TotpCode) is { } refused) return refused;
            var spec = new RolloutSpec(body.Command ?? "", hosts!, Requester.Of(http), batch.Size ?? 1, batch.Percent, body.Canary,
                body.MaxFailures, body.WaitBetweenS, body.Args is { Count: > 0 } a ? a : null, body.Force);
            var id = Guid.CreateVersion7().ToString("N");
            try
            {
                var view = await grains.GetGrain<IRolloutGrain>(id).StartAsync(spec);
                return TypedResults.Accepted($"/api/rollouts/{id}", RolloutJson.From(view));
            }
            catch (ArgumentException e)
            {
                return ApiError.Result(422, "invalid_rollout", e.Message.Split(" (Parameter")[0]);
            }
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

    private static IResult Invalid(string message) => ApiError.Result(422, ApiError.InvalidRequest, message);

    /// <summary>(size, percent); null when the value is neither a positive whole number nor "N%".</summary>
    private static (int? Size, int? Percent)? ParseBatch(JsonElement? value)
    {
        if (value is not { } v || v.ValueKind is JsonValueKind.Null) return (1, null);
        if (v.ValueKind == JsonValueKind.Number) return v.TryGetInt32(out var n) && n >= 1 ? (n, null) : null;
        if (v.ValueKind != JsonValueKind.String) return null;
        var s = v.GetString()!.Trim();
        var percent = s.EndsWith('%');
        if (!int.TryParse(percent ? s[..^1] : s, NumberStyles.None, CultureInfo.InvariantCulture, out var x)) return null;
        if (percent) return x is >= 1 and <= 100 ? (null, x) : null;
        return x >= 1 ? (x, null) : null;
    }

    private static async Task<(IReadOnlyList<string>? Hosts, IResult? Problem)> ResolveHostsAsync(StartRolloutBody b, IGrainFactory grains)
    {
        var filtered = b.All || b.Location is not null || b.DeviceType is not null || b.HostType is not null;
        if (b.Hosts is { Count: > 0 } listed)
        {
            if (filtered) return (null, Invalid("give either hosts or a selector (all, location, device_type, host_type), not both."));
            if (listed.Count > MaxHosts) return (null, Invalid($"at most {MaxHosts} hosts per rollout."));
            if (listed.FirstOrDefault(h => !ApiInput.IsHostname(h)) is { } bad) return (null, ApiInput.BadHostname(bad));
            return (listed, null);
        }
        if (!filtered) return (null, Invalid("name the hosts: hosts [...], or all: true, or location / device_type / host_type."));
        var fleet = await grains.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync();
        var chosen = fleet
            .Where(h => (b.Location is null || h.Location == b.Location) && (b.DeviceType is null || h.DeviceType == b.DeviceType)
                        && (b.HostType is null || h.HostType == b.HostType))
            .Select(h => h.Hostname).Order(StringComparer.Ordinal).ToList();
        return chosen.Count == 0 ? (null, Invalid("no host matches the selector.")) : (chosen, null);
    }
}
