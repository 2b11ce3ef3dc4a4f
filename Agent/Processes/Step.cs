namespace NixFleet.Agent.Processes;

/// <summary>One program a command runs: argv (never a shell string), working directory, extra environment.</summary>
internal sealed record Step(IReadOnlyList<string> Argv, string WorkingDirectory, IReadOnlyDictionary<string, string>? Environment = null)
{
    public string Display => string.Join(' ', Argv);
}
