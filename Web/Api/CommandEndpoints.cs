using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Api;

/// <summary>
/// Commands of one host: submit (202 with the command, or 409/422 with the refusal code), history, one command,
/// stop a running one, cancel a queued one. A command id names its host, so no lookup is needed.
/// </summary>
public static class CommandEndpoints
{
    public static void MapCommandApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/hosts/{id}/commands", async (string id, HttpContext http, IGrainFactory grains, CommandSubmitter submit) =>
        {
            if (!ApiInput.IsHostname(id)) return ApiInput.BadHostname(id);
            var (body, error) = await ApiInput.ReadAsync<SubmitCommandBody>(http);
            if (error is not null) return error;
            var (result, refusal) = await submit.SubmitAsync(http, id, body!.Command, body.Args, body.Queue, body.Force, body.TotpCode);
            if (refusal is not null) return refusal;
            var command = CommandJson.From(result!);
            return TypedResults.Accepted($"/api/commands/{command.Id}", command);
        }).WithName("SubmitCommand").Accepts<SubmitCommandBody>("application/json")
          .Produces<CommandJson>(202).Produces<ApiError>(400).Produces<ApiError>(403).Produces<ApiError>(404)
          .Produces<ApiError>(409).Produces<ApiError>(413).Produces<ApiError>(422);

        api.MapGet("/hosts/{id}/commands", async (string id, int? offset, int? limit, IGrainFactory grains) =>
        {
            if (!ApiInput.IsHostname(id)) return ApiInput.BadHostname(id);
            var (o, l) = ApiInput.Page(offset, limit);
            var page = await grains.GetGrain<IHostGrain>(id).GetCommandsAsync(o, l);
            return TypedResults.Ok(new CommandList([.. page.Items.Select(CommandJson.From)], page.Total, o, l));
        }).WithName("ListHostCommands").WithSummary("Queued, in-flight and recent commands, newest first.").Produces<CommandList>();

        api.MapGet("/commands/{id}", async (string id, IGrainFactory grains) =>
        {
            if (!ApiInput.TryCommandHost(id, out var host)) return ApiInput.BadCommandId(id);
            var c = await grains.GetGrain<IHostGrain>(host).GetCommandAsync(id);
            return c is null ? UnknownCommand(id) : TypedResults.Ok(CommandJson.From(c));
        }).WithName("GetCommand").Produces<CommandJson>().Produces<ApiError>(404);

        api.MapPost("/commands/{id}/stop", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (!ApiInput.TryCommandHost(id, out var host)) return ApiInput.BadCommandId(id);
            return Act(await grains.GetGrain<IHostGrain>(host).StopCommandAsync(id, Requester.Of(http)));
        }).WithName("StopCommand").WithSummary("Stop the command in flight; it ends stopped.")
          .Produces<CommandJson>().Produces<ApiError>(404).Produces<ApiError>(409);

        api.MapDelete("/commands/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (!ApiInput.TryCommandHost(id, out var host)) return ApiInput.BadCommandId(id);
            return Act(await grains.GetGrain<IHostGrain>(host).CancelCommandAsync(id, Requester.Of(http)));
        }).WithName("CancelCommand").WithSummary("Cancel a queued command; it ends cancelled.")
          .Produces<CommandJson>().Produces<ApiError>(404).Produces<ApiError>(409);
    }

    private static IResult Act(CommandActionResult r) =>
        r.Done ? TypedResults.Ok(CommandJson.From(r.Command!)) : ApiError.Refusal(r.Code!, r.Message);

    internal static IResult UnknownCommand(string id) => ApiError.Result(404, RefusalCodes.UnknownCommandId, $"no command {id}.");
}
