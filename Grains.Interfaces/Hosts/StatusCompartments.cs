namespace NixFleet.Grains.Interfaces.Hosts;

/// <summary>The four checks an agent reports: git, lock, system, tests.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.status-compartments")]
public sealed record StatusCompartments(
    [property: Id(0)] Compartment Git,
    [property: Id(1)] Compartment Lock,
    [property: Id(2)] Compartment System,
    [property: Id(3)] Compartment Tests)
{
    public static readonly StatusCompartments Unknown = new(Compartment.Unknown, Compartment.Unknown, Compartment.Unknown, Compartment.Unknown);

    /// <summary>Same statuses and messages; check times alone changing is not news worth a write.</summary>
    public bool SameAs(StatusCompartments other) =>
        Git.SameAs(other.Git) && Lock.SameAs(other.Lock) && System.SameAs(other.System) && Tests.SameAs(other.Tests);
}

/// <summary>One check: <c>ok</c>, <c>outdated</c>, <c>error</c>, <c>working</c> or <c>unknown</c>.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.compartment")]
public sealed record Compartment(
    [property: Id(0)] string Status,
    [property: Id(1)] string? Message,
    [property: Id(2)] DateTimeOffset? CheckedAt)
{
    public static readonly IReadOnlyList<string> Statuses = ["ok", "outdated", "error", "working", "unknown"];
    public static readonly Compartment Unknown = new("unknown", null, null);

    public bool SameAs(Compartment other) => Status == other.Status && Message == other.Message;

    /// <summary>The status as the one shared instance of its name (every host keeps four), or <c>unknown</c>.</summary>
    public static string KnownStatus(string? status)
    {
        foreach (var known in Statuses)
            if (known == status) return known;
        return Unknown.Status;
    }
}
