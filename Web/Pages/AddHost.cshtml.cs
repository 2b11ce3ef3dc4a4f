using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Silo.Storage;
using NixFleet.Web.Audit;
using NixFleet.Web.Hosts;
using NixFleet.Web.Live;

namespace NixFleet.Web.Pages;

/// <summary>
/// Add host: puts the host in the fleet (offline, never seen) and creates its agent token, then shows the token once
/// with the NixOS and home-manager configuration to paste. The agent's registration later fills in the real facts.
/// </summary>
public sealed class AddHostModel(IGrainFactory grains, FleetLiveHub hub, AgentTokenStore tokens, IAuditLog audit) : PageModel
{
    public static readonly string[] Locations = ["home", "work", "cloud"];
    public static readonly string[] DeviceTypes = ["server", "desktop", "laptop", "gaming"];
    public const int MaxRepoUrl = 500, MaxBranch = 100;

    [BindProperty] public string? Hostname { get; set; }
    [BindProperty] public string Location { get; set; } = "home";
    [BindProperty(Name = "device_type")] public string DeviceType { get; set; } = "server";
    [BindProperty(Name = "theme_color")] public string? ThemeColor { get; set; }
    [BindProperty(Name = "repo_url")] public string? RepoUrl { get; set; }
    [BindProperty] public string? Branch { get; set; }

    public string? Error { get; private set; }
    public string? Token { get; private set; }
    public AgentSnippets.Input? Snippet { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        ThemeColor = string.IsNullOrWhiteSpace(ThemeColor) ? null : ThemeColor.Trim();
        RepoUrl = string.IsNullOrWhiteSpace(RepoUrl) ? null : RepoUrl.Trim();
        var branch = string.IsNullOrWhiteSpace(Branch) ? "main" : Branch.Trim();
        Error = !NixFleet.Protocol.HostNames.IsValid(Hostname)
                ? "A hostname is letters, digits, '-', '_', '.', 1 to 63 characters, starting with a letter or digit."
            : !Locations.Contains(Location) ? $"Location is one of {string.Join(", ", Locations)}."
            : !DeviceTypes.Contains(DeviceType) ? $"Device type is one of {string.Join(", ", DeviceTypes)}."
            : ThemeColor is not null && !(ThemeColor.Length == 7 && ThemeColor[0] == '#' && ThemeColor[1..].All(char.IsAsciiHexDigit))
                ? "Theme colour is #rrggbb (or empty)."
            : RepoUrl is { Length: > MaxRepoUrl } || RepoUrl?.Any(char.IsControl) == true ? $"Repository URL: up to {MaxRepoUrl} characters, one line."
            : branch.Length > MaxBranch || branch.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) ? $"Branch: up to {MaxBranch} characters, no spaces."
            : null;
        if (Error is not null) return Refused(422);

        await hub.WaitReadyAsync(ct);
        if (hub.Snapshot().Any(h => h.Hostname == Hostname) || await tokens.HostHasTokenAsync(Hostname!, ct))
        {
            Error = $"{Hostname} is already in the fleet or has an agent token. Give it a new token on the Tokens page instead.";
            return Refused(409);
        }
        var created = await tokens.CreateAsync(Hostname!, ct);
        await grains.GetGrain<IFleetEventsGrain>(0).HostChangedAsync(new HostSummary(Hostname!, "", Location, DeviceType,
            ThemeColor ?? "", Online: false, LastSeen: null, Generation: null, AgentVersion: null, Metrics: null,
            StatusCompartments.Unknown, PendingCommand: null));
        await audit.AppendAsync(HttpContext.AuditEntry("host.create", [Hostname!], $"agent token {created.Info.Id}"), ct);
        Token = created.Token;
        var scheme = Request.IsHttps ? "wss" : "ws";
        Snippet = new AgentSnippets.Input(Hostname!, $"{scheme}://{Request.Host}/ws", Location, DeviceType, ThemeColor, RepoUrl, branch);
        return Page();
    }

    private PageResult Refused(int status)
    {
        Response.StatusCode = status;
        return Page();
    }
}
