using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using NixFleet.Web.Auth;

namespace NixFleet.Web.Security;

/// <summary>
/// Deny by default: everything except the public routes needs a signed-in operator (API tokens only on /api/*),
/// so an endpoint added later is protected without remembering to ask for it. Static assets and anything else
/// marked <c>.AllowAnonymous()</c> pass.
/// </summary>
public sealed class AccessGate(RequestDelegate next)
{
    /// <summary>/ws authenticates agents itself (and lets operator sessions through via <see cref="LiveUpdateAccess"/>).</summary>
    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/login") || path.StartsWithSegments("/ws");

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsPublic(context.Request.Path) || context.User.Identity?.IsAuthenticated == true
            || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }
        await context.ChallengeAsync(OperatorClaims.Scheme);
    }
}
