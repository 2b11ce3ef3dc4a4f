namespace NixFleet.Web.Auth;

/// <summary>A live operator session as stored server-side; the cookie carries only its signed random id.</summary>
public sealed record SessionRecord(string IdHash, string CsrfToken, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
