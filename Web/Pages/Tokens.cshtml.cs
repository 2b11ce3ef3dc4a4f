using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Silo.Storage;
using NixFleet.Web.Audit;
using NixFleet.Web.Auth;

namespace NixFleet.Web.Pages;

/// <summary>
/// Agent tokens per host and API tokens: a new token is shown once, in the response to its creation (never stored
/// in clear, never shown again); revoking takes effect at once. Every change is audited as the API audits it.
/// </summary>
public sealed class TokensModel(ApiTokenStore apiTokens, AgentTokenStore agentTokens, IAuditLog audit) : PageModel
{
    public IReadOnlyList<ApiTokenInfo> ApiTokens { get; private set; } = [];
    public IReadOnlyList<AgentTokenInfo> AgentTokens { get; private set; } = [];
    /// <summary>What was just created, shown this once: (what it is, the secret).</summary>
    public (string What, string Secret)? Created { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateApiAsync(string? name, CancellationToken ct)
    {
        if (!ApiTokenStore.IsValidName(name)) return await FailAsync(422, $"A token name is {ApiTokenStore.NameRule}.", ct);
        if (await apiTokens.CreateAsync(name!, OperatorClaims.OperatorUser, ct) is not { } c)
            return await FailAsync(409, $"An active token is already named '{name}'.", ct);
        await audit.AppendAsync(HttpContext.AuditEntry("token.create", detail: c.Info.Name), ct);
        Created = ($"API token {c.Info.Name}", c.Token);
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRevokeApiAsync(string? id, CancellationToken ct)
    {
        if (!long.TryParse(id, out var n) || n < 1) return await FailAsync(400, "Not a token id.", ct);
        if (await apiTokens.RevokeAsync(n.ToString(), ct) is not { } revoked) return await FailAsync(404, $"No active API token with id {n}.", ct);
        await audit.AppendAsync(HttpContext.AuditEntry("token.revoke", detail: revoked.Name), ct);
        Message = $"API token {revoked.Name} revoked.";
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAgentAsync(string? hostname, CancellationToken ct)
    {
        if (!NixFleet.Protocol.HostNames.IsValid(hostname))
            return await FailAsync(422, "A hostname is letters, digits, '-', '_', '.', 1 to 63 characters, starting with a letter or digit.", ct);
        var c = await agentTokens.CreateAsync(hostname!, ct);
        await audit.AppendAsync(HttpContext.AuditEntry(AgentTokenActions.Create, [hostname!], c.Info.Id), ct);
        Created = ($"agent token for {hostname}", c.Token);
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRevokeAgentAsync(string? id, CancellationToken ct)
    {
        // By id only: the store's fallback (every token of a host of that name) is the CLI's, not this button's.
        if (id is not { Length: 10 } || !id.All(char.IsAsciiHexDigitLower)) return await FailAsync(400, "Not an agent token id.", ct);
        var host = (await agentTokens.ListAsync(ct)).FirstOrDefault(t => t.Id == id)?.Hostname;
        if (host is null || await agentTokens.RevokeAsync(id, ct) == 0) return await FailAsync(404, $"No agent token with id {id}.", ct);
        await audit.AppendAsync(HttpContext.AuditEntry(AgentTokenActions.Revoke, [host], id), ct);
        Message = $"Agent token {id} of {host} revoked.";
        return await ShowAsync(ct);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store"; // a page with a secret on it is never cached
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> FailAsync(int status, string error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ApiTokens = await apiTokens.ListAsync(ct: ct);
        AgentTokens = await agentTokens.ListAsync(ct);
    }
}
