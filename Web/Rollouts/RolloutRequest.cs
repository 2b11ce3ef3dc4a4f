namespace NixFleet.Web.Rollouts;

/// <summary>
/// A rollout as asked for, by the JSON API or the fleet page: hosts by name, or a selector (all, location,
/// device type, host type); batch size as typed ("3" or "25%", null for 1).
/// </summary>
public sealed record RolloutRequest(
    string? Command, IReadOnlyList<string>? Hosts, bool All = false, string? Location = null, string? DeviceType = null,
    string? HostType = null, string? BatchSize = null, bool Canary = true, int MaxFailures = 0, int WaitBetweenS = 0,
    bool Force = false, IReadOnlyDictionary<string, string>? Args = null, string? TotpCode = null);

/// <summary>Why a rollout was not started: HTTP status, stable code and a sentence.</summary>
public sealed record RolloutRefusal(int Status, string Code, string Message);
