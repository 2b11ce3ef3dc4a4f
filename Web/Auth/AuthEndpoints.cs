using NixFleet.Web.Audit;

namespace NixFleet.Web.Auth;

/// <summary><c>POST /logout</c> and the API token endpoints (<c>/api/tokens</c>), for signed-in operators.</summary>
public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", async (HttpContext context, LoginService login) =>
        {
            await login.SignOutAsync(context);
            SessionCookie.Clear(context.Response);
            return Results.Redirect("/login");
        });

        var tokens = app.MapGroup("/api/tokens").AddEndpointFilter(async (ctx, next) =>
            // A leaked API token must not be able to mint or revoke others: token management needs a session.
            ctx.HttpContext.User.IsOperatorSession() ? await next(ctx)
                : Results.Json(new { error = "API tokens are managed from a signed-in session" }, statusCode: StatusCodes.Status403Forbidden));

        tokens.MapGet("", async (ApiTokenStore store, HttpContext context) => Results.Ok(await store.ListAsync(ct: context.RequestAborted)));

        tokens.MapPost("", async (HttpContext context, ApiTokenStore store, IAuditLog audit, CreateTokenRequest? body) =>
        {
            if (!ApiTokenStore.IsValidName(body?.Name))
                return Results.BadRequest(new { error = $"name must be {ApiTokenStore.NameRule}" });
            var created = await store.CreateAsync(body!.Name!, OperatorClaims.OperatorUser, context.RequestAborted);
            if (created is not { } c)
                return Results.Conflict(new { error = $"an active token is already named '{body.Name}'" });
            await audit.AppendAsync(context.AuditEntry("token.create", detail: c.Info.Name), context.RequestAborted);
            return Results.Created($"/api/tokens/{c.Info.Id}", new { c.Info.Id, c.Info.Name, c.Info.CreatedAt, token = c.Token });
        });

        tokens.MapDelete("/{id:long}", async (long id, HttpContext context, ApiTokenStore store, IAuditLog audit) =>
        {
            var revoked = await store.RevokeAsync(id.ToString(), context.RequestAborted);
            if (revoked is null) return Results.NotFound(new { error = $"no active token with id {id}" });
            await audit.AppendAsync(context.AuditEntry("token.revoke", detail: revoked.Name), context.RequestAborted);
            return Results.NoContent();
        });
    }

    public sealed record CreateTokenRequest(string? Name);
}
