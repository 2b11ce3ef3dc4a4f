using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;
using NixFleet.Web.Audit;

namespace NixFleet.Tests.Auth;

/// <summary>The audit trail: append-only, readable through GET /api/audit (paged, by host and action), pruned by age.</summary>
public sealed class AuditTests : IAsyncLifetime
{
    private AuthApp _app = null!;

    public async Task InitializeAsync() => _app = await AuthApp.StartAsync(o => o with { AuditRetention = TimeSpan.FromDays(30) });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r)
    {
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Entries_are_paged_newest_first_and_filter_by_host_and_action()
    {
        var audit = _app.Service<IAuditLog>();
        for (var i = 0; i < 7; i++)
            await audit.AppendAsync(new AuditEntry("command.dispatch", "operator", "127.0.0.1", "ua", ["web-01", i % 2 == 0 ? "db-01" : "web-02"], $"switch #{i}"));
        await audit.AppendAsync(new AuditEntry("command.dispatch", "token:ci", Hosts: ["db-01"], Detail: "reboot", Success: false));

        using var b = _app.NewBrowser();
        await b.SignInAsync();

        var page1 = await JsonAsync(await b.GetAsync("api/audit?action=command.dispatch&limit=3"));
        var entries = page1.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal("reboot", entries[0].GetProperty("detail").GetString());
        Assert.False(entries[0].GetProperty("success").GetBoolean());
        var next = page1.GetProperty("next").GetInt64();

        var page2 = await JsonAsync(await b.GetAsync($"api/audit?action=command.dispatch&limit=3&before={next}"));
        var ids = page2.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(3, ids.Count);
        Assert.All(ids, id => Assert.True(id < next));

        var db01 = await JsonAsync(await b.GetAsync("api/audit?host=db-01&limit=100"));
        var db01Entries = db01.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(5, db01Entries.Count); // switches 0, 2, 4, 6 and the reboot
        Assert.All(db01Entries, e => Assert.Contains("db-01", e.GetProperty("hosts").EnumerateArray().Select(h => h.GetString())));
        Assert.Equal(JsonValueKind.Null, db01.GetProperty("next").ValueKind);

        var logins = await JsonAsync(await b.GetAsync("api/audit?action=login"));
        Assert.NotEmpty(logins.GetProperty("entries").EnumerateArray());
        Assert.All(logins.GetProperty("entries").EnumerateArray(), e => Assert.Equal("login", e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Entries_written_at_once_share_commits_and_each_caller_gets_its_own_id()
    {
        var audit = _app.Service<IAuditLog>();
        var ids = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            Task.Run(() => audit.AppendAsync(new AuditEntry("command.dispatch", "operator", Hosts: [$"burst-{i:000}"], Detail: $"burst #{i}")))));
        Assert.Equal(300, ids.Distinct().Count());

        var stored = await audit.QueryAsync(null, "command.dispatch", null, 1000);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var entry = Assert.Single(stored, e => e.Id == id);
            Assert.Equal($"burst #{i}", entry.Detail); // the id a caller got is the row of its own entry
            Assert.Equal([$"burst-{i:000}"], entry.Hosts);
        }
    }

    [Fact]
    public async Task Command_audit_events_of_the_grains_land_in_the_audit_table()
    {
        var sink = _app.Service<NixFleet.Grains.Commands.ICommandAuditSink>();
        Assert.IsType<AuditCommandSink>(sink);
        await sink.RecordAsync(new NixFleet.Grains.Commands.CommandAuditEvent("command.dispatch", "operator", "sink-host", "c-42", null, "switch", DateTimeOffset.UtcNow));

        using var b = _app.NewBrowser();
        await b.SignInAsync();
        var found = await JsonAsync(await b.GetAsync("api/audit?host=sink-host&action=command.dispatch"));
        var entry = Assert.Single(found.GetProperty("entries").EnumerateArray());
        Assert.Equal("operator", entry.GetProperty("actor").GetString());
        Assert.Contains("command=c-42", entry.GetProperty("detail").GetString());
        Assert.Contains("switch", entry.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("limit=ten")]
    [InlineData("before=-4")]
    [InlineData("before=x")]
    [InlineData("host=")]
    public async Task Bad_query_parameters_get_400(string query)
    {
        using var b = _app.NewBrowser();
        await b.SignInAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await b.GetAsync("api/audit?" + query)).StatusCode);
    }

    [Fact]
    public async Task Rows_cannot_be_updated()
    {
        var id = await _app.Service<IAuditLog>().AppendAsync(new AuditEntry("login", "operator"));
        await using var c = await _app.Service<SqliteDatabase>().OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"UPDATE audit_log SET actor = 'someone else' WHERE id = {id};";
        var e = await Assert.ThrowsAsync<SqliteException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Contains("append-only", e.Message);
    }

    [Fact]
    public async Task Entries_older_than_the_retention_are_pruned_and_newer_ones_kept()
    {
        var audit = _app.Service<IAuditLog>();
        var keep = await audit.AppendAsync(new AuditEntry("login", "operator", Hosts: ["kept-host"]));
        long old;
        await using (var c = await _app.Service<SqliteDatabase>().OpenAsync())
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO audit_log(at, action, actor, success) VALUES (@at, 'login', 'operator', 1) RETURNING id;";
            cmd.Parameters.AddWithValue("@at", DateTimeOffset.UtcNow.AddDays(-31).ToUnixTimeMilliseconds());
            old = (long)(await cmd.ExecuteScalarAsync())!;
            await using var host = c.CreateCommand();
            host.CommandText = $"INSERT INTO audit_hosts(audit_id, host) VALUES ({old}, 'old-host');";
            await host.ExecuteNonQueryAsync();
        }

        Assert.True(await _app.Service<AuditPruner>().PruneOnceAsync() >= 1);
        var all = await audit.QueryAsync(null, null, null, 500);
        Assert.Contains(all, e => e.Id == keep);
        Assert.DoesNotContain(all, e => e.Id == old);
        Assert.Empty(await audit.QueryAsync("old-host", null, null, 10));
    }
}
