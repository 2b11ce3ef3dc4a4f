namespace NixFleet.Web.Audit;

/// <summary>Audit actions for per-host agent tokens made or revoked from the dashboard (detail: the token id).</summary>
public static class AgentTokenActions
{
    public const string Create = "agent_token.create";
    public const string Revoke = "agent_token.revoke";
}
