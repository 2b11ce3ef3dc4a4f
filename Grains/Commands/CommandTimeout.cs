namespace NixFleet.Grains.Commands;

/// <summary>At <see cref="Warning"/> the command is flagged; at <see cref="Limit"/> it is stopped and ends timed_out.</summary>
public sealed record CommandTimeout(TimeSpan Warning, TimeSpan Limit);
