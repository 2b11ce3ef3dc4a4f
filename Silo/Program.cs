using Microsoft.Extensions.Hosting;
using NixFleet.Silo;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Hosting;

// Standalone silo (no web front end) for scale-out; the dashboard process co-hosts the same silo.
var warnings = new List<string>();
NixFleetOptions options;
try
{
    options = SettingsLoader.Load(Environment.GetEnvironmentVariable, warnings);
}
catch (ConfigurationError e)
{
    Console.Error.WriteLine($"nixfleet-silo: {e.Message}");
    return 2;
}
foreach (var w in warnings) Console.Error.WriteLine($"nixfleet-silo: warning: {w}");

NativeHeap.Tune(Environment.GetEnvironmentVariable);
var host = Host.CreateDefaultBuilder(args).UseOrleans(silo => silo.UseNixFleet(options)).Build();
await host.RunAsync();
return 0;
