using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>What a host grain persists. Stored as JSON by property name, so renaming this type loses nothing.</summary>
[GenerateSerializer, Alias("nixfleet.host-state")]
public sealed class HostState
{
    [Id(0)] public HostRegistration? Registration { get; set; }
    [Id(1)] public HostHeartbeat? LastHeartbeat { get; set; }
    [Id(2)] public DateTimeOffset? LastSeen { get; set; }
    [Id(3)] public DateTimeOffset? FirstSeen { get; set; }
    [Id(4)] public StatusCompartments Compartments { get; set; } = StatusCompartments.Unknown;
    [Id(5)] public string? Generation { get; set; }
    [Id(6)] public bool Online { get; set; }
    [Id(7)] public CommandBook Commands { get; set; } = new();
}
