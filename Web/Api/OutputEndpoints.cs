using System.Text;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Web.Rendering;

namespace NixFleet.Web.Api;

/// <summary>
/// A command's stored output: JSON pages after a seq (<c>?after=N</c>), and a plain-text download. The download
/// strips ANSI escape sequences by default (it is read in editors and grepped); <c>?ansi=keep</c> gives the lines
/// exactly as the agent sent them.
/// </summary>
public static class OutputEndpoints
{
    public const int DefaultLimit = 1000, MaxLimit = 5000;

    public static void MapOutputApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/commands/{id}/output", async (string id, long? after, int? limit, IGrainFactory grains, ICommandLog log, HttpContext http) =>
        {
            if (!ApiInput.TryCommandHost(id, out var host)) return ApiInput.BadCommandId(id);
            if (after is < 0) return ApiError.Result(400, ApiError.InvalidRequest, "after must be 0 or a seq the previous page returned.");
            var command = await grains.GetGrain<IHostGrain>(host).GetCommandAsync(id);
            if (command is null) return CommandEndpoints.UnknownCommand(id);
            var take = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
            var lines = await log.ReadAsync(id, after ?? 0, take + 1, http.RequestAborted);
            var page = lines.Take(take).Select(l => new OutputLineJson(l.Seq, l.Stream, l.IsError, l.Text, l.At)).ToList();
            return TypedResults.Ok(new OutputPage(id, page, page.Count > 0 ? page[^1].Seq : after ?? 0, lines.Count > take, command.Ended));
        }).WithName("GetCommandOutput").WithSummary("Stored output lines with seq greater than after, in order.")
          .Produces<OutputPage>().Produces<ApiError>(400).Produces<ApiError>(404);

        api.MapGet("/commands/{id}/output.txt", async (string id, string? ansi, IGrainFactory grains, ICommandLog log, HttpContext http) =>
        {
            if (!ApiInput.TryCommandHost(id, out var host)) return ApiInput.BadCommandId(id);
            var command = await grains.GetGrain<IHostGrain>(host).GetCommandAsync(id);
            if (command is null) return CommandEndpoints.UnknownCommand(id);
            var keep = ansi == "keep";
            return Results.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024);
                long last = 0;
                while (true)
                {
                    var page = await log.ReadAsync(id, last, 1000, http.RequestAborted);
                    foreach (var line in page)
                    {
                        var text = CommandOutputText.Format(line);
                        await writer.WriteLineAsync(keep ? text : AnsiHtml.ToPlainText(text));
                    }
                    if (page.Count < 1000) break;
                    last = page[^1].Seq;
                }
            }, "text/plain; charset=utf-8", $"{command.Host}-{command.Op}-{id[..12]}.txt");
        }).WithName("DownloadCommandOutput").WithSummary("The output as text; ANSI stripped unless ansi=keep.")
          .Produces(200, contentType: "text/plain").Produces<ApiError>(404);
    }
}
