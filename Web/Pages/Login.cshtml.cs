using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Web.Auth;
using NixFleet.Web.Security;

namespace NixFleet.Web.Pages;

/// <summary>The sign-in page. Rate limiting runs before it (LoginRateLimitMiddleware); CSRF does not apply (no session yet).</summary>
[IgnoreAntiforgeryToken]
public sealed class LoginModel(LoginService login) : PageModel
{
    public bool Failed { get; private set; }
    public bool CodeRequired { get; private set; }
    public string? ReturnUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = LocalOnly(returnUrl);
        CodeRequired = await login.CodeRequiredAsync(HttpContext.RequestAborted);
        if (User.IsOperatorSession()) return LocalRedirect(ReturnUrl ?? "/");
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        ReturnUrl = LocalOnly(returnUrl);
        Response.Headers.CacheControl = "no-store";
        // A sign-in posted from another site (login CSRF) would put the victim in the attacker's session.
        if (!OriginCheck.IsAllowed(HttpContext)) return StatusCode(StatusCodes.Status403Forbidden);
        var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
        var result = await login.SignInAsync(HttpContext, form["password"].ToString(), form["code"].ToString());
        if (result is not { } ok)
        {
            Failed = true;
            CodeRequired = await login.CodeRequiredAsync(HttpContext.RequestAborted);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        SessionCookie.Write(Response, ok.Cookie, ok.Session.ExpiresAt);
        return LocalRedirect(ReturnUrl ?? "/");
    }

    // Only paths of this site: "//evil" and "/\evil" are other hosts to a browser.
    private static string? LocalOnly(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] is not ('/' or '\\') ? url : null;
}
