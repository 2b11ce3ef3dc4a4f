using NixFleet.Silo.Hosting;
using NixFleet.Silo.Configuration;
using NixFleet.Web.Cli;

namespace NixFleet.Web.Hosting;

/// <summary>Entry point: validates the configuration (one line and exit 2 when invalid), then serves.</summary>
public static class DashboardProgram
{
    public const int ConfigErrorExit = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var warnings = new List<string>();
        NixFleetOptions options;
        try
        {
            options = SettingsLoader.Load(Environment.GetEnvironmentVariable, warnings);
        }
        catch (ConfigurationError e)
        {
            await Console.Error.WriteLineAsync($"nixfleet-dashboard: invalid configuration: {e.Message}");
            return ConfigErrorExit;
        }

        if (CliCommands.Find(args) is { } command)
        {
            foreach (var w in warnings) await Console.Error.WriteLineAsync($"warning: {w}");
            return await CliCommands.RunAsync(command, args, options);
        }

        NativeHeap.Tune(Environment.GetEnvironmentVariable);
        var app = DashboardApp.Build(options, args);
        foreach (var w in warnings) app.Logger.LogWarning("Configuration: {Warning}", w);
        await app.RunAsync();
        return 0;
    }
}
