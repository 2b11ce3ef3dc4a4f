using NixFleet.Protocol;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Cli;

/// <summary>
/// <c>token create HOST</c> | <c>token list</c> | <c>token revoke ID|HOST</c>: per-host agent tokens. Works
/// while the dashboard runs: tokens are a plain table in the same database file.
/// </summary>
internal sealed class TokenCommand : ICliCommand
{
    public string Name => "token";

    public string Usage => "token create HOST | token list | token revoke ID|HOST";

    public async Task<int> RunAsync(IReadOnlyList<string> args, NixFleetOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        Directory.CreateDirectory(options.DataDir);
        var store = new AgentTokenStore(new SqliteDatabase(options));
        switch (args)
        {
            case ["create", var host]:
                if (!HostNames.IsValid(host))
                {
                    await stderr.WriteLineAsync($"token create: '{host}' is not a valid hostname (letters, digits, '-', '_', '.', 1-63 characters, starting with a letter or digit)");
                    return 2;
                }
                var created = await store.CreateAsync(host);
                await stdout.WriteLineAsync(created.Token);
                await stderr.WriteLineAsync($"Token {created.Info.Id} for {host}. It is shown only this once: give it to the agent as NIXFLEET_TOKEN.");
                await stderr.WriteLineAsync($"From now on the shared token can no longer register {host}.");
                return 0;
            case ["list"]:
                var tokens = await store.ListAsync();
                if (tokens.Count == 0) await stderr.WriteLineAsync("no per-host tokens");
                foreach (var t in tokens) await stdout.WriteLineAsync($"{t.Id}\t{t.Hostname}\t{t.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}");
                return 0;
            case ["revoke", var key]:
                var revoked = await store.RevokeAsync(key);
                if (revoked == 0)
                {
                    await stderr.WriteLineAsync($"token revoke: no token with id or host '{key}'");
                    return 1;
                }
                await stdout.WriteLineAsync($"revoked {revoked} token{(revoked == 1 ? "" : "s")}");
                return 0;
            default:
                await stderr.WriteLineAsync("usage: nixfleet-dashboard " + Usage);
                return 2;
        }
    }
}
