using System.Security.Cryptography;
using System.Text;
using NixFleet.Web.Auth;

namespace NixFleet.Web.Security;

/// <summary>
/// Every state-changing request made with a session cookie must carry that session's token, as header
/// <c>X-CSRF-Token</c> or form field <c>csrf_token</c>; otherwise 403. API-token requests carry no ambient
/// credential and need none. <c>POST /login</c> is exempt: it does not act with the session it arrives with but
/// replaces it, and an old (or planted) cookie must not stand between an operator and signing in.
/// </summary>
public sealed class CsrfMiddleware(RequestDelegate next)
{
    public const string Header = "X-CSRF-Token", FormField = "csrf_token";

    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || !context.User.IsOperatorSession() || context.Request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var expected = context.User.CsrfToken()!;
        string? presented = context.Request.Headers[Header].ToString() is { Length: > 0 } h ? h : null;
        if (presented is null && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            presented = form[FormField].ToString();
        }
        if (presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        const string message = "missing or wrong CSRF token: send the page's csrf-token as X-CSRF-Token or csrf_token";
        if (NixFleetAuthenticationHandler.IsApi(context.Request)) await context.Response.WriteAsJsonAsync(new { error = message });
        else await context.Response.WriteAsync(message);
    }
}
