using System.Collections;
using NixFleet.Agent;
using NixFleet.Agent.Cli;
using NixFleet.Agent.Configuration;
using NixFleet.Agent.Facts;
using NixFleet.Agent.Processes;

if (args.Length > 0 && args[0] == StepSupervisor.Verb) return StepSupervisor.Run(args[1..]);

var mode = args.Length == 0 ? "run" : args[0];
switch (mode)
{
    case "--version" or "-V" or "version":
        Console.WriteLine($"nixfleet-agent {BinaryFacts.AgentVersion}");
        return ExitCodes.Ok;
    case "--help" or "-h" or "help":
        Console.Write(HelpText.Build());
        return ExitCodes.Ok;
    case "run" or "--check":
        break;
    default:
        Console.Error.WriteLine($"unknown option {mode}; see nixfleet-agent --help");
        return ExitCodes.Config;
}

AgentSettings settings;
try
{
    var env = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
    settings = AgentSettingsLoader.Load(env, HostFacts.CurrentKind);
}
catch (ConfigException ex)
{
    Console.Error.WriteLine(ex.Message);
    return ExitCodes.Config;
}
Log.Level = settings.LogLevel;

if (mode == "--check") return await CheckCommand.RunAsync(settings);
Log.Info($"nixfleet-agent {BinaryFacts.AgentVersion} starting as {settings.Hostname}");
return await new AgentHost(settings).RunAsync();
