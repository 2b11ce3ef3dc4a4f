namespace NixFleet.Web.Gateway;

/// <summary>What a valid agent token allows: any host (the shared token) or the one host it is bound to.</summary>
public sealed record AgentCredential(string? BoundHost)
{
    public static readonly AgentCredential Shared = new((string?)null);

    public bool IsShared => BoundHost is null;
}
