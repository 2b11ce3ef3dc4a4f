namespace NixFleet.Agent.Configuration;

/// <summary>A missing or invalid setting; the message is the one line the agent prints before exiting with 2.</summary>
internal sealed class ConfigException(string message) : Exception(message);
