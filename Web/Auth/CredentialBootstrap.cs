using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Auth;

/// <summary>
/// First start without credentials: generates the operator password and the shared agent token, stores only
/// their hashes, and prints them once. Later starts find the hashes and print nothing.
/// </summary>
public sealed class CredentialBootstrap(NixFleetOptions options, SecretStore secrets, BootstrapOutput output) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        string? password = null, agentToken = null;
        if (options.PasswordHash is null)
        {
            var candidate = TokenHashing.NewSecret(18);
            var (_, added) = await secrets.AddIfAbsentAsync(SecretStore.PasswordHash, PasswordHashing.Hash(candidate), ct);
            if (added) password = candidate;
        }
        if (options.AgentToken is null)
        {
            var candidate = TokenHashing.NewSecret();
            var (_, added) = await secrets.AddIfAbsentAsync(SecretStore.AgentTokenHash, TokenHashing.Sha256Hex(candidate), ct);
            if (added) agentToken = candidate;
        }
        if (password is null && agentToken is null) return;

        var w = output.Writer;
        await w.WriteLineAsync("==================== NixFleet first start ====================");
        if (password is not null)
        {
            await w.WriteLineAsync($"Operator password:   {password}");
            await w.WriteLineAsync("  change it: printf '%s' 'NEW PASSWORD' | nixfleet-dashboard hash-password");
            await w.WriteLineAsync($"  and set {Settings.PasswordHash.Name} to the printed hash.");
        }
        if (agentToken is not null)
        {
            await w.WriteLineAsync($"Shared agent token:  {agentToken}");
            await w.WriteLineAsync($"  give it to agents as NIXFLEET_TOKEN; change it by setting {Settings.AgentToken.Name}.");
        }
        await w.WriteLineAsync($"Only hashes are kept (in {options.DbPath}); this is the only time these are shown.");
        await w.WriteLineAsync("Environment variables always win over the generated values.");
        await w.WriteLineAsync("===============================================================");
        await w.FlushAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Where first-start secrets are printed: the console, or a test's writer.</summary>
public sealed record BootstrapOutput(TextWriter Writer);
