using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Web.Api;

/// <summary>Every refusal of the JSON API: a stable code for scripts and a sentence for people.</summary>
public sealed record ApiError(string Code, string Message)
{
    public const string MalformedJson = "malformed_json", BodyTooLarge = "body_too_large", InvalidHostname = "invalid_hostname",
        InvalidId = "invalid_id", InvalidRequest = "invalid_request", UnknownRollout = "unknown_rollout", HostOnline = "host_online",
        TotpRequired = "totp_required";

    /// <summary>HTTP status of a grain refusal: the request itself is wrong (422), the thing does not exist (404), or its situation forbids it (409).</summary>
    public static int StatusOf(string code) =>
        RefusalCodes.Unprocessable.Contains(code) ? StatusCodes.Status422UnprocessableEntity
        : code is RefusalCodes.UnknownHost or RefusalCodes.UnknownCommandId ? StatusCodes.Status404NotFound
        : StatusCodes.Status409Conflict;

    public static IResult Result(int status, string code, string message) => TypedResults.Json(new ApiError(code, message), statusCode: status);

    public static IResult Refusal(string code, string? message) => Result(StatusOf(code), code, message ?? code);
}
