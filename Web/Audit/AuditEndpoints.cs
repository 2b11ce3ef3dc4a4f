namespace NixFleet.Web.Audit;

/// <summary><c>GET /api/audit?host=&amp;action=&amp;before=&amp;limit=</c>: newest first, keyset-paged by id.</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 50, MaxLimit = 500;

    public static void MapAuditApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/audit", async (HttpContext context, IAuditLog audit, string? host, string? action, string? before, string? limit) =>
        {
            long? cursor = null;
            if (before is not null)
            {
                if (!long.TryParse(before, out var b) || b < 1) return Results.BadRequest(new { error = "before must be a positive entry id" });
                cursor = b;
            }
            var take = DefaultLimit;
            if (limit is not null && (!int.TryParse(limit, out take) || take < 1 || take > MaxLimit))
                return Results.BadRequest(new { error = $"limit must be a number from 1 to {MaxLimit}" });
            if (host is { Length: 0 or > 255 } || action is { Length: 0 or > 100 })
                return Results.BadRequest(new { error = "host and action filters must be 1 to 255 / 100 characters" });

            var entries = await audit.QueryAsync(host, action, cursor, take, context.RequestAborted);
            return Results.Ok(new { entries, next = entries.Count == take ? entries[^1].Id : (long?)null });
        });
}
