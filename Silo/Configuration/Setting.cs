namespace NixFleet.Silo.Configuration;

/// <summary>One environment variable the dashboard reads: the single list docs and the env example derive from.</summary>
public sealed record Setting(string Name, string Default, string Help, params string[] LegacyNames);
