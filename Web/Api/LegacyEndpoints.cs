namespace NixFleet.Web.Api;

/// <summary>
/// NixFleet's own command routes, kept for scripts written against it: <c>POST /api/hosts/{id}/command</c>
/// <c>{command, force?}</c> and <c>POST /api/dispatch</c> <c>{op, hosts[], force?}</c>. They answer as NixFleet did
/// (<c>status: "queued"</c> on success) and add the command id.
/// </summary>
public static class LegacyEndpoints
{
    public const int MaxDispatchHosts = 1000;

    public sealed record LegacyCommandBody(string? Command, bool Force = false, string? TotpCode = null);

    public sealed record DispatchBody(string? Op, List<string>? Hosts, bool Force = false, string? TotpCode = null);

    public sealed record LegacyAccepted(string Status, string Command, string CommandId, string Host);

    public sealed record LegacyRefused(string Status, string Code, string Message);

    public sealed record DispatchResult(string Host, string Status, string? CommandId, string? Code, string? Message);

    public sealed record DispatchResults(string Op, IReadOnlyList<DispatchResult> Results);

    public static void MapLegacyApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/hosts/{id}/command", async (string id, HttpContext http, CommandSubmitter submit) =>
        {
            if (!ApiInput.IsHostname(id)) return ApiInput.BadHostname(id);
            var (body, error) = await ApiInput.ReadAsync<LegacyCommandBody>(http);
            if (error is not null) return error;
            if (await submit.CheckRebootCodeAsync(http, body!.Command, body.TotpCode) is { } refused) return refused;
            var (c, status, code, message) = await submit.TrySubmitAsync(http, id, body.Command, null, false, body.Force);
            return c is not null
                ? TypedResults.Ok(new LegacyAccepted("queued", c.Op, c.Id, c.Host))
                : TypedResults.Json(new LegacyRefused("blocked", code!, message!), statusCode: status);
        }).WithName("LegacySubmitCommand").WithSummary("NixFleet's route: {command, force?}.").Accepts<LegacyCommandBody>("application/json")
          .Produces<LegacyAccepted>().Produces<LegacyRefused>(409).Produces<LegacyRefused>(422).Produces<ApiError>(400);

        api.MapPost("/dispatch", async (HttpContext http, CommandSubmitter submit) =>
        {
            var (body, error) = await ApiInput.ReadAsync<DispatchBody>(http);
            if (error is not null) return error;
            if (body!.Hosts is not { Count: > 0 } hosts)
                return ApiError.Result(422, ApiError.InvalidRequest, "hosts must list at least one hostname.");
            if (hosts.Count > MaxDispatchHosts)
                return ApiError.Result(422, ApiError.InvalidRequest, $"at most {MaxDispatchHosts} hosts per dispatch; use a rollout for more.");
            if (hosts.FirstOrDefault(h => !ApiInput.IsHostname(h)) is { } bad) return ApiInput.BadHostname(bad);
            if (await submit.CheckRebootCodeAsync(http, body.Op, body.TotpCode) is { } refused) return refused;
            var results = new List<DispatchResult>();
            foreach (var host in hosts.Distinct(StringComparer.Ordinal))
            {
                var (c, _, code, message) = await submit.TrySubmitAsync(http, host, body.Op, null, false, body.Force);
                results.Add(c is not null
                    ? new DispatchResult(host, "queued", c.Id, null, null)
                    : new DispatchResult(host, "blocked", null, code, message));
            }
            return TypedResults.Ok(new DispatchResults(body.Op ?? "", results));
        }).WithName("LegacyDispatch").WithSummary("NixFleet's route: one op to several hosts; a result per host.")
          .Accepts<DispatchBody>("application/json").Produces<DispatchResults>().Produces<ApiError>(400).Produces<ApiError>(422);
    }
}
