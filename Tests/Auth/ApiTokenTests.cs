using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NixFleet.Web.Audit;
using NixFleet.Web.Auth;
using NixFleet.Web.Cli;

namespace NixFleet.Tests.Auth;

/// <summary>API tokens: made by a signed-in operator or the CLI, shown once, hashed, revocable, /api/* only.</summary>
public sealed class ApiTokenTests(AuthAppFixture fixture) : IClassFixture<AuthAppFixture>
{
    private AuthApp App => fixture.App;

    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = "Bearer " + token };

    private async Task<(Browser Operator, string Csrf)> OperatorAsync()
    {
        var b = App.NewBrowser();
        return (b, await b.SignInAsync());
    }

    private async Task<(long Id, string Token)> CreateAsync(Browser b, string csrf, string name)
    {
        var r = await b.PostJsonAsync("api/tokens", new { name }, new Dictionary<string, string> { ["X-CSRF-Token"] = csrf });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return (doc.RootElement.GetProperty("id").GetInt64(), doc.RootElement.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task A_created_token_works_as_bearer_on_the_api_is_shown_once_and_records_its_use()
    {
        var (op, csrf) = await OperatorAsync();
        using var _ = op;
        var (id, token) = await CreateAsync(op, csrf, "ci-deploy");
        Assert.StartsWith(ApiTokenFormat.Prefix, token);

        using var script = App.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("api/audit", Bearer(token))).StatusCode);

        var list = await (await op.GetAsync("api/tokens")).Content.ReadAsStringAsync();
        Assert.Contains("ci-deploy", list);
        Assert.DoesNotContain(token, list);
        Assert.DoesNotContain(TokenHashing.Sha256Hex(token), list);
        var info = (await App.Service<ApiTokenStore>().ListAsync()).Single(t => t.Id == id);
        Assert.NotNull(info.LastUsedAt);

        var audit = await App.Service<IAuditLog>().QueryAsync(null, "token.create", null, 100);
        Assert.Contains(audit, e => e.Detail == "ci-deploy" && e.Actor == "operator");
    }

    [Fact]
    public async Task A_revoked_token_is_refused()
    {
        var (op, csrf) = await OperatorAsync();
        using var _ = op;
        var (id, token) = await CreateAsync(op, csrf, "short-lived");
        var r = await op.SendAsync(HttpMethod.Delete, $"api/tokens/{id}", null, new Dictionary<string, string> { ["X-CSRF-Token"] = csrf });
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        using var script = App.NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("api/audit", Bearer(token))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.SendAsync(HttpMethod.Delete, $"api/tokens/{id}", null, new Dictionary<string, string> { ["X-CSRF-Token"] = csrf })).StatusCode);
        Assert.Contains(await App.Service<IAuditLog>().QueryAsync(null, "token.revoke", null, 100), e => e.Detail == "short-lived");
    }

    [Fact]
    public async Task An_api_token_opens_no_page_and_cannot_manage_tokens()
    {
        var (op, csrf) = await OperatorAsync();
        using var _ = op;
        var (_, token) = await CreateAsync(op, csrf, "no-pages");
        using var script = App.NewBrowser();
        var page = await script.GetAsync("", Bearer(token));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var mint = await script.PostJsonAsync("api/tokens", new { name = "minted" }, Bearer(token));
        Assert.Equal(HttpStatusCode.Forbidden, mint.StatusCode);
        Assert.DoesNotContain("CSRF", await mint.Content.ReadAsStringAsync()); // bearer calls need no CSRF token
    }

    [Fact]
    public async Task The_agent_token_never_works_on_the_api_and_an_api_token_is_never_the_agent_token()
    {
        using var b = App.NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("api/audit", Bearer(AuthApp.AgentToken))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("api/tokens", Bearer(AuthApp.AgentToken))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("api/audit", new Dictionary<string, string> { ["Authorization"] = "Basic b3A6cHc=" })).StatusCode);

        var (op, csrf) = await OperatorAsync();
        using var _ = op;
        var (_, token) = await CreateAsync(op, csrf, "not-an-agent");
        var agents = App.Service<ISharedAgentTokenSource>();
        Assert.True(await agents.MatchesAsync(AuthApp.AgentToken));
        Assert.False(await agents.MatchesAsync(token));
        Assert.False(await agents.MatchesAsync(""));
        Assert.Equal(TokenHashing.Sha256Hex(AuthApp.AgentToken), await agents.GetHashAsync());
    }

    [Theory]
    [InlineData("{\"name\":\"\"}")]
    [InlineData("{\"name\":\"has space\"}")]
    [InlineData("{\"name\":\"<script>\"}")]
    [InlineData("{}")]
    [InlineData("{\"name\":")]
    [InlineData("[]")]
    public async Task Bad_token_requests_get_400(string body)
    {
        var (op, csrf) = await OperatorAsync();
        using var _ = op;
        var r = await op.SendAsync(HttpMethod.Post, "api/tokens", new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            new Dictionary<string, string> { ["X-CSRF-Token"] = csrf });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task A_second_active_token_of_the_same_name_is_a_conflict()
    {
        var (op, csrf) = await OperatorAsync();
        using var _ = op;
        await CreateAsync(op, csrf, "twice");
        var r = await op.PostJsonAsync("api/tokens", new { name = "twice" }, new Dictionary<string, string> { ["X-CSRF-Token"] = csrf });
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
    }

    [Fact]
    public async Task The_cli_creates_lists_and_revokes_tokens_while_the_dashboard_runs()
    {
        var cli = new ApiTokenCommand();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, await cli.RunAsync(["create", "from-cli"], App.Options, TextReader.Null, stdout, stderr));
        var token = stdout.ToString().Trim();
        Assert.StartsWith(ApiTokenFormat.Prefix, token);
        Assert.Contains("shown only now", stderr.ToString());

        using var script = App.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("api/audit", Bearer(token))).StatusCode);

        var list = new StringWriter();
        Assert.Equal(0, await cli.RunAsync(["list"], App.Options, TextReader.Null, list, TextWriter.Null));
        Assert.Contains("from-cli", list.ToString());
        Assert.DoesNotContain(token, list.ToString());
        Assert.DoesNotContain("\tnever", list.ToString().Split('\n').Single(l => l.Contains("from-cli")));

        Assert.Equal(0, await cli.RunAsync(["revoke", "from-cli"], App.Options, TextReader.Null, TextWriter.Null, TextWriter.Null));
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("api/audit", Bearer(token))).StatusCode);

        Assert.Equal(1, await cli.RunAsync(["revoke", "from-cli"], App.Options, TextReader.Null, TextWriter.Null, TextWriter.Null));
        Assert.Equal(1, await cli.RunAsync(["create", "bad name"], App.Options, TextReader.Null, TextWriter.Null, TextWriter.Null));
        Assert.Equal(2, await cli.RunAsync(["frobnicate"], App.Options, TextReader.Null, TextWriter.Null, TextWriter.Null));
    }
}
