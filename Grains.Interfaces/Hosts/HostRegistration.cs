namespace NixFleet.Grains.Interfaces.Hosts;

/// <summary>What an agent says about itself when it registers.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.host-registration")]
public sealed record HostRegistration(
    [property: Id(0)] string Hostname,
    [property: Id(1)] string HostType,
    [property: Id(2)] string AgentVersion,
    [property: Id(3)] string OsVersion,
    [property: Id(4)] string NixpkgsVersion,
    [property: Id(5)] string Generation,
    [property: Id(6)] string ThemeColor,
    [property: Id(7)] int HeartbeatIntervalSeconds,
    [property: Id(8)] string Location,
    [property: Id(9)] string DeviceType,
    [property: Id(10)] string RepoUrl,
    [property: Id(11)] string RepoDir,
    [property: Id(12)] AgentBinary Binary,
    [property: Id(13)] IReadOnlyList<string> Capabilities);

/// <summary>Identifies the agent binary a host runs (for "outdated agent" flags).</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.agent-binary")]
public sealed record AgentBinary(
    [property: Id(0)] string? SourceCommit,
    [property: Id(1)] string? StorePath,
    [property: Id(2)] string? BinaryHash);
