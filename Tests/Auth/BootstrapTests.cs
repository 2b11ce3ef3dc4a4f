using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using NixFleet.Tests.Support;
using NixFleet.Web.Auth;

namespace NixFleet.Tests.Auth;

/// <summary>First start of the real binary without credentials: generated, printed once, hashed at rest.</summary>
public sealed partial class BootstrapTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static async Task<HttpStatusCode> LoginAsync(DashboardProcess dash, string password)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = dash.BaseUri };
        var r = await http.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = password }));
        return r.StatusCode;
    }

    private static async Task<string> StoredAsync(string db, string name)
    {
        await using var c = new SqliteConnection($"Data Source={db};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT value FROM auth_secrets WHERE name = @n;";
        cmd.Parameters.AddWithValue("@n", name);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task First_start_prints_a_password_and_agent_token_once_and_the_password_signs_in()
    {
        string password, agentToken;
        await using (var first = DashboardProcess.Start(_dir.Path))
        {
            await first.WaitHealthyAsync();
            var output = string.Join('\n', first.Output);
            password = PasswordLine().Match(output).Groups[1].Value;
            agentToken = TokenLine().Match(output).Groups[1].Value;
            Assert.True(password.Length >= 20, output);
            Assert.True(agentToken.Length >= 40, output);
            Assert.Contains("hash-password", output);
            Assert.Contains("NIXFLEET_AGENT_TOKEN", output);

            Assert.Equal(HttpStatusCode.Redirect, await LoginAsync(first, password));

            // the generated shared token is what a fresh agent uses: it registers over /ws
            await using (var agent = await TestAgent.ConnectAsync(new Uri($"ws://127.0.0.1:{first.Port}/ws"), agentToken))
                Assert.Equal("boot-1", (await agent.RegisterAsync(TestAgent.Register("boot-1"))).GetProperty("host_id").GetString());
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(first, password + "x"));

            // At rest only hashes: bcrypt for the password, SHA-256 for the token.
            var db = Path.Combine(_dir.Path, "nixfleet.db");
            var hash = await StoredAsync(db, "password_hash");
            Assert.Matches(@"^\$2[aby]\$\d\d\$", hash);
            Assert.True(BCrypt.Net.BCrypt.Verify(password, hash));
            Assert.Equal(TokenHashing.Sha256Hex(agentToken), await StoredAsync(db, "agent_token_sha256"));
            Assert.DoesNotContain(password, await File.ReadAllTextAsync(db, System.Text.Encoding.Latin1));
        }

        await using var second = DashboardProcess.Start(_dir.Path);
        await second.WaitHealthyAsync();
        var again = string.Join('\n', second.Output);
        Assert.DoesNotContain("Operator password", again);
        Assert.DoesNotContain("Shared agent token", again);
        Assert.DoesNotContain(password, again);
        Assert.Equal(HttpStatusCode.Redirect, await LoginAsync(second, password));
    }

    [Fact]
    public async Task Environment_values_win_over_generated_ones()
    {
        await using (var first = DashboardProcess.Start(_dir.Path))
            await first.WaitHealthyAsync();
        var generatedHash = await StoredAsync(Path.Combine(_dir.Path, "nixfleet.db"), "password_hash");

        const string mine = "my own operator password";
        await using var second = DashboardProcess.Start(_dir.Path, new Dictionary<string, string?>
        {
            ["NIXFLEET_PASSWORD_HASH"] = BCrypt.Net.BCrypt.HashPassword(mine, 4),
            ["NIXFLEET_AGENT_TOKEN"] = "an-agent-token-from-the-environment",
        });
        await second.WaitHealthyAsync();
        Assert.DoesNotContain(second.Output, l => l.Contains("first start"));
        Assert.Equal(HttpStatusCode.Redirect, await LoginAsync(second, mine));
        // The generated hash stays stored but is not used while the environment sets one.
        Assert.Equal(generatedHash, await StoredAsync(Path.Combine(_dir.Path, "nixfleet.db"), "password_hash"));
    }

    [Fact]
    public async Task With_both_set_in_the_environment_nothing_is_generated_or_printed()
    {
        await using var dash = DashboardProcess.Start(_dir.Path, new Dictionary<string, string?>
        {
            ["NIXFLEET_PASSWORD_HASH"] = BCrypt.Net.BCrypt.HashPassword("whatever password", 4),
            ["NIXFLEET_AGENT_TOKEN"] = "an-agent-token-from-the-environment",
        });
        await dash.WaitHealthyAsync();
        Assert.DoesNotContain(dash.Output, l => l.Contains("first start"));
    }

    [GeneratedRegex(@"Operator password:\s+(\S+)")]
    private static partial Regex PasswordLine();

    [GeneratedRegex(@"Shared agent token:\s+(\S+)")]
    private static partial Regex TokenLine();

    public void Dispose() => _dir.Dispose();
}
