using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Rollouts;
using NixFleet.Web.Api;

namespace NixFleet.Web.Rollouts;

/// <summary>
/// The one way the web starts a rollout (POST /api/rollouts and the fleet page's bulk action): checks the batch,
/// resolves the hosts, asks for the reboot code, and starts the rollout grain, which audits <c>rollout.start</c>.
/// </summary>
public sealed class RolloutStarter(IGrainFactory grains, CommandSubmitter submit)
{
    public const int MaxHosts = 10_000;

    public async Task<(RolloutView? View, RolloutRefusal? Refusal)> StartAsync(HttpContext http, RolloutRequest r)
    {
        if (BatchSize.Parse(r.BatchSize) is not { } batch)
            return Invalid("batch_size must be a whole number of hosts (1 or more) or a percentage such as \"25%\".");
        var (hosts, problem) = await ResolveHostsAsync(r);
        if (problem is not null) return (null, problem);
        if (await submit.CheckRebootCodeAsync(http, r.Command, r.TotpCode) is not null)
            return (null, new RolloutRefusal(403, ApiError.TotpRequired, "reboot needs a fresh TOTP code in totp_code (each code works once)."));
        var spec = new RolloutSpec(r.Command ?? "", hosts!, Requester.Of(http), batch.Size ?? 1, batch.Percent, r.Canary,
            r.MaxFailures, r.WaitBetweenS, r.Args is { Count: > 0 } a ? a : null, r.Force);
        var id = Guid.CreateVersion7().ToString("N");
        try
        {
            return (await grains.GetGrain<IRolloutGrain>(id).StartAsync(spec), null);
        }
        catch (ArgumentException e)
        {
            return (null, new RolloutRefusal(422, "invalid_rollout", e.Message.Split(" (Parameter")[0]));
        }
    }

    private static (RolloutView?, RolloutRefusal?) Invalid(string message) => (null, Problem(message));

    private static RolloutRefusal Problem(string message) => new(422, ApiError.InvalidRequest, message);

    private async Task<(IReadOnlyList<string>? Hosts, RolloutRefusal? Problem)> ResolveHostsAsync(RolloutRequest b)
    {
        var filtered = b.All || b.Location is not null || b.DeviceType is not null || b.HostType is not null;
        if (b.Hosts is { Count: > 0 } listed)
        {
            if (filtered) return (null, Problem("give either hosts or a selector (all, location, device_type, host_type), not both."));
            if (listed.Count > MaxHosts) return (null, Problem($"at most {MaxHosts} hosts per rollout."));
            if (listed.FirstOrDefault(h => !ApiInput.IsHostname(h)) is { } bad)
                return (null, new RolloutRefusal(400, ApiError.InvalidHostname, ApiInput.BadHostnameMessage(bad)));
            return (listed, null);
        }
        if (!filtered) return (null, Problem("name the hosts: hosts [...], or all: true, or location / device_type / host_type."));
        var fleet = await grains.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync();
        var chosen = fleet
            .Where(h => (b.Location is null || h.Location == b.Location) && (b.DeviceType is null || h.DeviceType == b.DeviceType)
                        && (b.HostType is null || h.HostType == b.HostType))
            .Select(h => h.Hostname).Order(StringComparer.Ordinal).ToList();
        return chosen.Count == 0 ? (null, Problem("no host matches the selector.")) : (chosen, null);
    }
}
