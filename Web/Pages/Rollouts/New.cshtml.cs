using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Web.Live;
using NixFleet.Web.Rollouts;

namespace NixFleet.Web.Pages.Rollouts;

/// <summary>
/// The fleet page's bulk action. POST (from the fleet form): the confirmation, naming every host. POST with
/// handler=start (from the confirmation): starts the rollout through <see cref="RolloutStarter"/> and goes to it.
/// </summary>
public sealed class NewModel(FleetLiveHub hub, RolloutStarter starter) : PageModel
{
    public const int MaxFieldLength = 100;

    [BindProperty(Name = "h")] public List<string> Selected { get; set; } = [];
    [BindProperty(Name = "all_matching")] public bool AllMatching { get; set; }
    [BindProperty(Name = "q")] public string? Query { get; set; }
    [BindProperty] public string? Status { get; set; }
    [BindProperty] public string? Location { get; set; }
    [BindProperty] public string? Type { get; set; }
    [BindProperty] public string? Command { get; set; }
    [BindProperty(Name = "batch_size")] public string? BatchSizeText { get; set; }
    [BindProperty] public bool Canary { get; set; }
    [BindProperty(Name = "max_failures")] public string? MaxFailuresText { get; set; }
    [BindProperty(Name = "wait_between_s")] public string? WaitText { get; set; }
    [BindProperty(Name = "totp_code")] public string? TotpCode { get; set; }

    public IReadOnlyList<string> Hosts { get; private set; } = [];
    public int MaxFailures { get; private set; }
    public int WaitBetween { get; private set; }
    public string? Error { get; private set; }
    public bool NeedsCode => Command == "reboot";

    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Check()) return Refused(422);
        await hub.WaitReadyAsync(ct);
        var filter = new FleetFilter(Query, Status, Location, Type);
        Hosts = AllMatching
            ? hub.Snapshot().Where(filter.Matches).Select(h => h.Hostname).ToList()
            : Selected.Distinct(StringComparer.Ordinal).ToList();
        if (Hosts.Count == 0) { Error = "Select at least one host (or all matching)."; return Refused(422); }
        if (Hosts.FirstOrDefault(h => !NixFleet.Protocol.HostNames.IsValid(h)) is { } bad)
        { Error = $"'{Clip(bad)}' is not a hostname."; Hosts = []; return Refused(400); }
        return Page();
    }

    public async Task<IActionResult> OnPostStartAsync()
    {
        if (!Check()) return Refused(422);
        Hosts = Selected.Distinct(StringComparer.Ordinal).ToList();
        var (view, refusal) = await starter.StartAsync(HttpContext, new RolloutRequest(Command, Hosts, BatchSize: BatchSizeText ?? "",
            Canary: Canary, MaxFailures: MaxFailures, WaitBetweenS: WaitBetween, TotpCode: TotpCode));
        if (view is not null) return Redirect($"/rollouts/{view.Id}");
        Error = refusal!.Message;
        if (refusal.Code == "invalid_hostname") Hosts = [];
        return Refused(refusal.Status);
    }

    /// <summary>Checks the settings both steps share; sets <see cref="Error"/> when one is wrong.</summary>
    private bool Check()
    {
        if (Command is null || !CommandOps.All.Contains(Command)) Error = $"Choose a command: {string.Join(", ", CommandOps.All)}.";
        else if (BatchSizeText is { Length: > MaxFieldLength } || BatchSize.Parse(BatchSizeText) is null)
            Error = "Batch size is a number of hosts (1 or more) or a percentage such as 25%.";
        else if (!TryCount(MaxFailuresText, 10_000, out var mf)) Error = "Max failures is a whole number from 0 to 10000.";
        else if (!TryCount(WaitText, 86_400, out var wait)) Error = "Wait between waves is a whole number of seconds from 0 to 86400.";
        else
        {
            MaxFailures = mf;
            WaitBetween = wait;
            return true;
        }
        return false;
    }

    private static bool TryCount(string? text, int max, out int value)
    {
        value = 0;
        return string.IsNullOrWhiteSpace(text)
            || int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value <= max;
    }

    private PageResult Refused(int status)
    {
        Response.StatusCode = status;
        return Page();
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
