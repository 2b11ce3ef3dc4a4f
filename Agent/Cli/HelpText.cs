using System.Text;
using NixFleet.Agent.Configuration;
using NixFleet.Agent.Facts;

namespace NixFleet.Agent.Cli;

/// <summary><c>--help</c>: usage, every variable with its default, and the exit codes.</summary>
internal static class HelpText
{
    public static string Build()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"nixfleet-agent {BinaryFacts.AgentVersion} — keeps this host connected to its NixFleet dashboard");
        sb.AppendLine();
        sb.AppendLine("usage: nixfleet-agent [--check | --version | --help]");
        sb.AppendLine("  (no option)  run: connect, register, send heartbeats, run commands from the dashboard");
        sb.AppendLine("  --check      validate the configuration and connect to the dashboard once with the token");
        sb.AppendLine("  --version    print the version");
        sb.AppendLine("  --help       print this text");
        sb.AppendLine();
        sb.AppendLine("environment:");
        var width = AgentVariables.All.Max(v => v.Name.Length);
        foreach (var v in AgentVariables.All)
            sb.AppendLine($"  {v.Name.PadRight(width)}  {v.Meaning} (default: {v.Default})");
        sb.AppendLine();
        sb.AppendLine("exit codes: 0 ok, 1 failure, 2 configuration, 3 token refused, 4 dashboard unreachable");
        return sb.ToString();
    }
}
