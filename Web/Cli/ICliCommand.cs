using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Cli;

/// <summary>A subcommand of the dashboard binary (<c>nixfleet-dashboard NAME …</c>), run instead of the server.</summary>
public interface ICliCommand
{
    string Name { get; }
    string Usage { get; }
    Task<int> RunAsync(IReadOnlyList<string> args, NixFleetOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr);
}
