using NixFleet.Web.Auth;

namespace NixFleet.Web.Security;

/// <summary>
/// Who may open a browser live-update connection (SSE, or /ws without a bearer token): a signed-in operator session
/// from an allowed Origin. Use <see cref="Check"/> inside a handler, or <see cref="RequireLiveUpdateAccess{T}"/> on an endpoint.
/// </summary>
public static class LiveUpdateAccess
{
    public enum Verdict { Allowed, Unauthenticated, ForeignOrigin }

    /// <summary>Call after authentication ran (any endpoint handler): context.User holds the session, if any.</summary>
    public static Verdict Check(HttpContext context) =>
        !OriginCheck.IsAllowed(context) ? Verdict.ForeignOrigin
        : context.User.IsOperatorSession() ? Verdict.Allowed
        : Verdict.Unauthenticated;

    /// <summary>Refuses with 403 (foreign Origin) or 401 (no operator session) before the endpoint runs.</summary>
    public static TBuilder RequireLiveUpdateAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (ctx, next) => Check(ctx.HttpContext) switch
        {
            Verdict.ForeignOrigin => Results.Json(new { error = "origin not allowed" }, statusCode: StatusCodes.Status403Forbidden),
            Verdict.Unauthenticated => Results.Json(new { error = "operator session required" }, statusCode: StatusCodes.Status401Unauthorized),
            _ => await next(ctx),
        });
}
