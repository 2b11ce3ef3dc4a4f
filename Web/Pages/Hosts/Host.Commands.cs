using Microsoft.AspNetCore.Mvc;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Web.Api;
using NixFleet.Web.Rendering;

namespace NixFleet.Web.Pages.Hosts;

// The host page's actions (htmx posts with the session's CSRF header): run an op, stop the command in flight,
// cancel a queued one. Each answers with a notice for #command-notice, in the status the JSON API would use; a run
// answers too with the live region out of band, selecting the new command (which re-opens the live connection).
// Refusals carry the grain's code and message.
public sealed partial class HostModel
{
    public async Task<IActionResult> OnPostRunAsync(string hostname, [FromForm] string? op, [FromForm] bool queue, [FromForm] bool force,
        [FromForm(Name = "totp_code")] string? totpCode)
    {
        if (await KnownHostAsync(hostname) is not { } host)
            return await NoticeAsync(404, RefusalCodes.UnknownHost, "no such host.");
        if (!CommandOps.IsKnown(op))
            return await NoticeAsync(422, RefusalCodes.UnknownCommand, $"'{Clip(op)}' is not a command; allowed: {string.Join(", ", CommandOps.All)}.");
        if (op == "reboot" && await rebootCodes.RequiredAsync(HttpContext.RequestAborted) && !await rebootCodes.VerifyOnceAsync(totpCode, HttpContext.RequestAborted))
            return await NoticeAsync(403, ApiError.TotpRequired, "reboot needs a fresh TOTP code (each code works once).");

        var (command, status, code, message) = await submitter.TrySubmitAsync(HttpContext, hostname, op, null, queue, force);
        if (command is null) return await NoticeAsync(status, code, message ?? code ?? "refused");
        var ct = HttpContext.RequestAborted;
        return Html(await fragments.NoticeAsync(null, $"{command.Op} accepted: {command.Phase.Name()}.")
            + await fragments.LiveRegionAsync(host, hostname, 0, command, oob: true, ct));
    }

    public Task<IActionResult> OnPostStopAsync(string hostname, [FromForm] string? command) =>
        ActAsync(hostname, command, stop: true);

    public Task<IActionResult> OnPostCancelAsync(string hostname, [FromForm] string? command) =>
        ActAsync(hostname, command, stop: false);

    private async Task<IActionResult> ActAsync(string hostname, string? command, bool stop)
    {
        if (await KnownHostAsync(hostname) is not { } host)
            return await NoticeAsync(404, RefusalCodes.UnknownHost, "no such host.");
        if (!OwnCommand(hostname, command))
            return await NoticeAsync(400, ApiError.InvalidId, $"'{Clip(command)}' is not a command of {hostname}.");
        var requester = Requester.Of(HttpContext);
        var result = stop ? await host.StopCommandAsync(command!, requester) : await host.CancelCommandAsync(command!, requester);
        if (!result.Done) return await NoticeAsync(ApiError.StatusOf(result.Code!), result.Code, result.Message ?? result.Code!);
        // The new state reaches the page over its live connection (HostCommandsLiveEndpoint), wherever it is shown.
        var c = result.Command!;
        return Html(await fragments.NoticeAsync(null, stop ? $"{c.Op}: stop sent." : $"{c.Op}: cancelled."));
    }

    private async Task<IActionResult> NoticeAsync(int status, string? code, string message) =>
        Html(await fragments.NoticeAsync(code, message), status);

    private static string Clip(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";
}
