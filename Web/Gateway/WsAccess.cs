using Microsoft.Net.Http.Headers;

namespace NixFleet.Web.Gateway;

/// <summary>Who may open <c>/ws</c>. Decided before the upgrade, so a refused caller gets a plain 401.</summary>
internal sealed class WsAccess(IAgentTokenValidator tokens)
{
    /// <summary>
    /// An agent: a valid <c>Authorization: Bearer</c> token. A request without a bearer token is not an agent;
    /// it is refused until operator sessions exist (then a signed-in browser is let through here).
    /// </summary>
    public async Task<AgentCredential?> AuthorizeAsync(HttpContext context)
    {
        var header = context.Request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : await tokens.ValidateAsync(token, context.RequestAborted);
    }
}
