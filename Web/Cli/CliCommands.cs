using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Cli;

/// <summary>The dashboard binary's subcommands; anything else (or nothing) starts the server.</summary>
public static class CliCommands
{
    public static readonly IReadOnlyList<ICliCommand> All =
        [new TokenCommand(), new ApiTokenCommand(), new HashPasswordCommand(), new TotpSetupCommand()];

    public static ICliCommand? Find(string[] args) =>
        args.Length > 0 ? All.FirstOrDefault(c => c.Name == args[0]) : null;

    public static Task<int> RunAsync(ICliCommand command, string[] args, NixFleetOptions options) =>
        command.RunAsync(args.Skip(1).ToList(), options, Console.In, Console.Out, Console.Error);
}
