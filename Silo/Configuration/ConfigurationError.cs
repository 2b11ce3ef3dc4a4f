namespace NixFleet.Silo.Configuration;

/// <summary>An invalid setting. Its message is the one line printed before the process exits.</summary>
public sealed class ConfigurationError(string variable, string problem)
    : Exception($"{variable}: {problem}")
{
    public string Variable { get; } = variable;
}
