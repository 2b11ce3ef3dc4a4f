using System.Globalization;
using System.Net;

namespace NixFleet.Web.Security;

/// <summary>Applies <see cref="LoginRateLimiter"/> to <c>POST /login</c>: 429, Retry-After, and a page saying when.</summary>
public sealed class LoginRateLimitMiddleware(RequestDelegate next, LoginRateLimiter limiter, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limiter.TryAcquire(address) is not { } retryAt)
        {
            await next(context);
            return;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling((retryAt - time.GetUtcNow()).TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>NixFleet</title><link rel="stylesheet" href="/css/nixfleet.css"></head>
            <body><main><section class="login"><h1>NixFleet</h1>
            <p class="error">Too many sign-in attempts from this address. Try again in {seconds} seconds
            (after {WebUtility.HtmlEncode(retryAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture))} UTC).</p>
            <p><a href="/login">Back to sign-in</a></p></section></main></body></html>
            """);
    }
}
