using System.Text.Json;
using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Web.Api;

/// <summary>
/// <c>POST /api/rollouts</c>. Hosts: <c>hosts</c>, or <c>all: true</c>, or any of <c>location</c> /
/// <c>device_type</c> / <c>host_type</c> (combined: a host must match each given). <c>batch_size</c>: a number
/// or a percentage string such as <c>"25%"</c>.
/// </summary>
public sealed record StartRolloutBody(
    string? Command, List<string>? Hosts, bool All = false, string? Location = null, string? DeviceType = null, string? HostType = null,
    JsonElement? BatchSize = null, bool Canary = true, int MaxFailures = 0, int WaitBetweenS = 0, bool Force = false,
    Dictionary<string, string>? Args = null, string? TotpCode = null);

public sealed record RolloutHostJson(string Host, int Wave, string Phase, string? CommandId, string? Message);

public sealed record RolloutJson(
    string Id, string Command, string Status, string RequestedBy, int CurrentWave, int WaveCount, int Failures, int MaxFailures,
    int? BatchSize, int? BatchPercent, bool Canary, int WaitBetweenS, IReadOnlyList<RolloutHostJson> Hosts,
    DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, string? Message)
{
    public static RolloutJson From(RolloutView v) => new(v.Id, v.Spec.Op, v.Status, v.Spec.RequestedBy, v.CurrentWave, v.WaveCount,
        v.Failures, v.Spec.MaxFailures, v.Spec.BatchPercent is null ? v.Spec.BatchSize : null, v.Spec.BatchPercent, v.Spec.Canary,
        v.Spec.WaitBetweenSeconds, [.. v.Hosts.Select(h => new RolloutHostJson(h.Host, h.Wave, h.Phase, h.CommandId, h.Message))],
        v.CreatedAt, v.EndedAt, v.Message);
}

public sealed record RolloutList(IReadOnlyList<RolloutJson> Items, int Offset, int Limit);
