using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Api;

/// <summary>
/// The one way the web submits a command (new and legacy routes, rollouts): the op must be named, a reboot needs a
/// fresh TOTP code when TOTP is configured, and the host grain validates and accepts or refuses the rest.
/// </summary>
public sealed class CommandSubmitter(IGrainFactory grains, IRebootCodeCheck rebootCodes)
{
    public async Task<(CommandRecord? Command, IResult? Refusal)> SubmitAsync(HttpContext http, string host, string? op,
        IReadOnlyDictionary<string, string>? args, bool queue, bool force, string? totpCode)
    {
        if (await CheckRebootCodeAsync(http, op, totpCode) is { } refused) return (null, refused);
        var (command, status, code, message) = await TrySubmitAsync(http, host, op, args, queue, force);
        return command is not null ? (command, null) : (null, ApiError.Result(status, code!, message!));
    }

    /// <summary>Submits without the reboot code check (the caller did it once for many hosts); the refusal as data.</summary>
    public async Task<(CommandRecord? Command, int Status, string? Code, string? Message)> TrySubmitAsync(HttpContext http, string host,
        string? op, IReadOnlyDictionary<string, string>? args, bool queue, bool force)
    {
        if (string.IsNullOrEmpty(op))
            return (null, 422, RefusalCodes.UnknownCommand, $"name the command; allowed: {string.Join(", ", CommandOps.All)}.");
        var result = await grains.GetGrain<IHostGrain>(host).SubmitCommandAsync(new CommandRequest(op, Requester.Of(http), args, queue, force));
        return result.Accepted
            ? (result.Command, 202, null, null)
            : (null, ApiError.StatusOf(result.Code!), result.Code, result.Message ?? result.Code);
    }

    /// <summary>Null when the op is not reboot, no code is required, or the code is fresh; else a 403 to return.</summary>
    public async Task<IResult?> CheckRebootCodeAsync(HttpContext http, string? op, string? totpCode)
    {
        if (op != "reboot" || !await rebootCodes.RequiredAsync(http.RequestAborted)) return null;
        return await rebootCodes.VerifyOnceAsync(totpCode, http.RequestAborted)
            ? null
            : ApiError.Result(403, ApiError.TotpRequired, "reboot needs a fresh TOTP code in totp_code (each code works once).");
    }
}

/// <summary>Verifies the TOTP code a reboot must carry (<see cref="TotpRebootCodeCheck"/>).</summary>
public interface IRebootCodeCheck
{
    Task<bool> RequiredAsync(CancellationToken ct);

    Task<bool> VerifyOnceAsync(string? code, CancellationToken ct);
}
