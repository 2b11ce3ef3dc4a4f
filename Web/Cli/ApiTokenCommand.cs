using System.Globalization;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;
using NixFleet.Web.Audit;
using NixFleet.Web.Auth;

namespace NixFleet.Web.Cli;

/// <summary><c>api-token create NAME | list | revoke NAME-OR-ID</c>, on the database file while the dashboard may run.</summary>
public sealed class ApiTokenCommand : ICliCommand
{
    public string Name => "api-token";
    public string Usage => "api-token create NAME | api-token list | api-token revoke NAME-OR-ID";

    public async Task<int> RunAsync(IReadOnlyList<string> args, NixFleetOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        // Works before the dashboard's first start too: the tables are created on first use.
        Directory.CreateDirectory(Path.GetDirectoryName(options.DbPath)!);
        var db = new SqliteDatabase(options);
        var store = new ApiTokenStore(db, TimeProvider.System);
        var audit = new SqliteAuditLog(db, TimeProvider.System);
        var actor = $"cli:{Environment.UserName}";
        switch (args)
        {
            case ["create", var name]:
                if (!ApiTokenStore.IsValidName(name))
                {
                    await stderr.WriteLineAsync($"api-token: name must be {ApiTokenStore.NameRule}.");
                    return 1;
                }
                if (await store.CreateAsync(name, actor) is not { } created)
                {
                    await stderr.WriteLineAsync($"api-token: an active token is already named '{name}'.");
                    return 1;
                }
                await audit.AppendAsync(new AuditEntry("token.create", actor, Detail: name));
                await stdout.WriteLineAsync(created.Token);
                await stderr.WriteLineAsync($"Token '{name}' created (id {created.Info.Id}). It is shown only now; use it as 'Authorization: Bearer …' on /api/*.");
                return 0;
            case ["list"]:
                await stdout.WriteLineAsync("ID\tNAME\tCREATED\tCREATED-BY\tLAST-USED");
                foreach (var t in await store.ListAsync())
                    await stdout.WriteLineAsync($"{t.Id}\t{t.Name}\t{Format(t.CreatedAt)}\t{t.CreatedBy}\t{(t.LastUsedAt is { } u ? Format(u) : "never")}");
                return 0;
            case ["revoke", var key]:
                if (await store.RevokeAsync(key) is not { } revoked)
                {
                    await stderr.WriteLineAsync($"api-token: no active token with name or id '{key}'.");
                    return 1;
                }
                await audit.AppendAsync(new AuditEntry("token.revoke", actor, Detail: revoked.Name));
                await stdout.WriteLineAsync($"revoked {revoked.Name} (id {revoked.Id})");
                return 0;
            default:
                await stderr.WriteLineAsync("Usage: " + Usage);
                return 2;
        }
    }

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
