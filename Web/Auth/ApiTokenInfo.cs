namespace NixFleet.Web.Auth;

/// <summary>What is shown about an API token after creation: never the token or its hash.</summary>
public sealed record ApiTokenInfo(long Id, string Name, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
