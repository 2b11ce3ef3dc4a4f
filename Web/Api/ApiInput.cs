using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Web.Api;

/// <summary>
/// Checks on what a caller sends, before any grain is touched: names and ids in the path, and JSON bodies read
/// with a size cap and turned into a clear 400 when they do not parse.
/// </summary>
public static class ApiInput
{
    /// <summary>Bodies of this API are small objects; anything larger is refused rather than buffered.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Letters, digits, <c>-</c>, <c>_</c>, <c>.</c>; 1–63 characters; starting with a letter or digit.</summary>
    public static bool IsHostname(string? s) =>
        NixFleet.Protocol.HostNames.IsValid(s);

    public static IResult BadHostname(string? s) => ApiError.Result(400, ApiError.InvalidHostname, BadHostnameMessage(s));

    public static string BadHostnameMessage(string? s) =>
        $"'{Clip(s)}' is not a hostname (letters, digits, - _ ., 1–63 characters, starting with a letter or digit).";

    public static IResult BadCommandId(string? s) =>
        ApiError.Result(400, ApiError.InvalidId, $"'{Clip(s)}' is not a command id.");

    public static bool TryCommandHost(string? id, out string host) => CommandIds.TryGetHost(id, out host);

    /// <summary>A rollout id: 32 lowercase hex digits, as this API hands them out.</summary>
    public static bool IsRolloutId(string? s) => s is { Length: 32 } && s.All(char.IsAsciiHexDigitLower);

    /// <summary>Reads a JSON body into <typeparamref name="T"/>; on failure the result says why (400, 413).</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext http) where T : class
    {
        var request = http.Request;
        if (request.ContentLength > MaxBodyBytes) return (null, TooLarge());
        if (request.ContentType is { } ct && !ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, ApiError.Result(415, ApiError.InvalidRequest, "send the body as application/json."));
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes) return (null, TooLarge());
            buffer.Write(chunk, 0, n);
        }
        if (buffer.Length == 0) return (null, ApiError.Result(400, ApiError.MalformedJson, "the request needs a JSON object body."));
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
            return value is null
                ? (null, ApiError.Result(400, ApiError.MalformedJson, "the request body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            // The parser's message names the path and position, and never echoes the body back.
            return (null, ApiError.Result(400, ApiError.MalformedJson, "the request body is not valid JSON for this endpoint: " + e.Message));
        }
    }

    private static IResult TooLarge() => ApiError.Result(413, ApiError.BodyTooLarge, $"request bodies are limited to {MaxBodyBytes / 1024} KiB.");

    /// <summary>Keeps hostile input short when it is quoted back in an error.</summary>
    private static string Clip(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";

    /// <summary>offset/limit query values, clamped to sane ranges.</summary>
    public static (int Offset, int Limit) Page(int? offset, int? limit, int defaultLimit = 50, int maxLimit = 500) =>
        (Math.Max(0, offset ?? 0), Math.Clamp(limit ?? defaultLimit, 1, maxLimit));
}
