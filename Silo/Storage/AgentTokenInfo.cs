namespace NixFleet.Silo.Storage;

/// <summary>A per-host agent token as listed: never its secret.</summary>
public sealed record AgentTokenInfo(string Id, string Hostname, DateTimeOffset CreatedAt);

/// <summary>A token just created: <see cref="Token"/> is shown once and never stored.</summary>
public sealed record CreatedAgentToken(AgentTokenInfo Info, string Token);
