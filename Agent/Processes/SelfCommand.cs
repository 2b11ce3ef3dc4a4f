namespace NixFleet.Agent.Processes;

/// <summary>How to start this agent binary again: the native binary, or <c>dotnet nixfleet-agent.dll</c>.</summary>
internal static class SelfCommand
{
    public static IReadOnlyList<string> Prefix { get; } = Find();

    /// <summary>The file that identifies the agent: the native binary, or the dll when run by <c>dotnet</c>.</summary>
    public static string BinaryPath => Prefix[^1];

    private static string[] Find()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the agent's own path");
        if (Path.GetFileNameWithoutExtension(process) != "dotnet") return [process];
        var dll = Path.Combine(AppContext.BaseDirectory, "nixfleet-agent.dll");
        return [process, dll];
    }
}
