using System.Net;
using System.Text.RegularExpressions;
using NixFleet.Silo.Storage;
using NixFleet.Tests.Api;
using NixFleet.Tests.Support;
using NixFleet.Web.Audit;
using NixFleet.Web.Auth;

namespace NixFleet.Tests.Pages;

/// <summary>
/// The handlers of the rollout, tokens, add-host, audit and account pages over real HTTP with bad input: no CSRF
/// token, unknown ids, hostile text and oversized values get a clear refusal, change nothing, and render as text.
/// </summary>
public sealed partial class PageInputTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    private T Service<T>() where T : notnull => (T)f.Dashboard.Services.GetService(typeof(T))!;

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));

    /// <summary>The session's cookie but no CSRF token, as a forged cross-site form would send.</summary>
    private async Task<HttpClient> WithoutCsrfAsync()
    {
        using var signedIn = await f.ClientAsync();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = f.Dashboard.BaseUri };
        client.DefaultRequestHeaders.Add("Cookie", signedIn.DefaultRequestHeaders.GetValues("Cookie").Single());
        return client;
    }

    [Theory]
    [InlineData("/rollouts/new")]
    [InlineData("/rollouts/new?handler=start")]
    [InlineData("/rollouts/0123456789abcdef0123456789abcdef?handler=cancel")]
    [InlineData("/tokens?handler=createApi")]
    [InlineData("/tokens?handler=revokeApi&id=1")]
    [InlineData("/tokens?handler=createAgent")]
    [InlineData("/tokens?handler=revokeAgent&id=0123456789")]
    [InlineData("/hosts/new")]
    [InlineData("/account?handler=begin")]
    [InlineData("/account?handler=enable")]
    [InlineData("/account?handler=disable")]
    public async Task Every_form_handler_refuses_a_post_without_the_csrf_token(string path)
    {
        using var forged = await WithoutCsrfAsync();
        using var r = await forged.PostAsync(path, Form(("name", "forged"), ("hostname", "forged-1"), ("command", "test"), ("h", "forged-1")));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.DoesNotContain(await Service<ApiTokenStore>().ListAsync(), t => t.Name == "forged");
        Assert.DoesNotContain(await Service<AgentTokenStore>().ListAsync(), t => t.Hostname == "forged-1");
        Assert.Null(await Service<SecretStore>().GetAsync(SecretStore.TotpPending));
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_404_or_400()
    {
        using var http = await f.ClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/rollouts/0123456789abcdef0123456789abcdef")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/rollouts/..%2F..%2Fetc")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/rollouts/0123456789abcdef0123456789abcdef?handler=pause", Form())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/rollouts/NOT-AN-ID?handler=cancel", Form())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/live/rollouts/0123456789abcdef0123456789abcdef")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/live/rollouts/%3Cscript%3E")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/tokens?handler=revokeApi&id=987654", Form())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/tokens?handler=revokeApi&id=abc", Form())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/tokens?handler=revokeAgent&id=ffffffffff", Form())).StatusCode);
        // A hostname is not a token id here: the page never revokes every token of a host by name.
        var kept = await Service<AgentTokenStore>().CreateAsync("keeps-its-token");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/tokens?handler=revokeAgent&id=keeps-its-token", Form())).StatusCode);
        Assert.Equal("keeps-its-token", await Service<AgentTokenStore>().FindHostAsync(kept.Token));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/audit?before=-3")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/audit?before=x")).StatusCode);
    }

    [Fact]
    public async Task Hostile_text_is_refused_or_rendered_as_text()
    {
        const string Hostile = "<script>alert(1)</script>";
        using var http = await f.ClientAsync();

        using var bulk = await http.PostAsync("/rollouts/new", Form(("command", "test"), ("h", Hostile)));
        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
        var html = await bulk.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Hostile, html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);

        using var start = await http.PostAsync("/rollouts/new?handler=start", Form(("command", "test"), ("h", Hostile), ("batch_size", "1")));
        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        Assert.DoesNotContain(Hostile, await start.Content.ReadAsStringAsync());

        using var token = await http.PostAsync("/tokens?handler=createApi", Form(("name", Hostile)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, token.StatusCode);
        Assert.DoesNotContain(Hostile, await token.Content.ReadAsStringAsync());
        using var agent = await http.PostAsync("/tokens?handler=createAgent", Form(("hostname", Hostile)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, agent.StatusCode);
        using var host = await http.PostAsync("/hosts/new", Form(("hostname", Hostile), ("location", "home"), ("device_type", "server")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, host.StatusCode);
        Assert.DoesNotContain(Hostile, await host.Content.ReadAsStringAsync());
        Assert.DoesNotContain(await Service<AgentTokenStore>().ListAsync(), t => t.Hostname.Contains('<'));

        using var audit = await http.GetAsync("/audit?actor=" + Uri.EscapeDataString(Hostile) + "&action=" + Uri.EscapeDataString("\"><b>x"));
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        var auditHtml = await audit.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Hostile, auditHtml);
        Assert.DoesNotContain("\"><b>x", auditHtml);
    }

    [Fact]
    public async Task A_hostile_repository_url_stays_text_in_the_page_and_data_in_the_nix_snippet()
    {
        const string Repo = "git@x:y.git\"; ${builtins.abort \"owned\"} <script>alert(1)</script>";
        using var http = await f.ClientAsync();
        using var r = await http.PostAsync("/hosts/new", Form(("hostname", "nix-quote-1"), ("location", "cloud"), ("device_type", "server"), ("repo_url", Repo)));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)", html);
        var module = System.Net.WebUtility.HtmlDecode(NixosModule().Match(html).Groups[1].Value);
        Assert.Contains("repoUrl = \"git@x:y.git\\\"; \\${builtins.abort \\\"owned\\\"} <script>alert(1)</script>\";", module);
        Assert.Contains(await Service<IAuditLog>().QueryAsync("nix-quote-1", "host.create", null, 10), e => e.Actor == OperatorClaims.OperatorUser);

        using var again = await http.PostAsync("/hosts/new", Form(("hostname", "nix-quote-1"), ("location", "cloud"), ("device_type", "server")));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // already in the fleet: one token, not two
        Assert.Single(await Service<AgentTokenStore>().ListAsync(), t => t.Hostname == "nix-quote-1");
    }

    [Theory]
    [InlineData("/rollouts/new", "batch_size", 200)]
    [InlineData("/rollouts/new", "max_failures", 12)]
    [InlineData("/rollouts/new", "wait_between_s", 12)]
    [InlineData("/tokens?handler=createApi", "name", 65)]
    [InlineData("/tokens?handler=createAgent", "hostname", 64)]
    [InlineData("/hosts/new", "hostname", 64)]
    [InlineData("/hosts/new", "repo_url", 501)]
    [InlineData("/hosts/new", "branch", 101)]
    [InlineData("/hosts/new", "theme_color", 8)]
    public async Task Oversized_values_are_refused_with_a_message(string path, string field, int length)
    {
        using var http = await f.ClientAsync();
        var fields = new Dictionary<string, string>
        {
            ["command"] = "test", ["h"] = "some-host", ["hostname"] = "big-" + length, ["location"] = "home", ["device_type"] = "server",
            [field] = new string('9', length),
        };
        using var r = await http.PostAsync(path, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        Assert.Contains("class=\"error\" role=\"alert\"", await r.Content.ReadAsStringAsync());
        Assert.DoesNotContain(await Service<AgentTokenStore>().ListAsync(), t => t.Hostname.StartsWith("big-") || t.Hostname.StartsWith("99999"));

        using var audit = await http.GetAsync("/audit?actor=" + new string('a', 201));
        Assert.Equal(HttpStatusCode.BadRequest, audit.StatusCode);
    }

    [Fact]
    public async Task Select_all_matching_names_only_the_filtered_hosts_and_page_actions_are_audited()
    {
        var a = await f.AgentAsync("match");
        var other = await f.AgentAsync("other");
        using var http = await f.ClientAsync();
        await Eventually.TrueAsync(async () => (await http.GetStringAsync("/?q=" + a.Hostname)).Contains(NixFleet.Web.Live.HostRowId.For(a.Hostname)), "the fleet page lists " + a.Hostname);
        using var review = await http.PostAsync("/rollouts/new", Form(("command", "check-version"), ("all_matching", "true"), ("q", a.Hostname), ("batch_size", "50%")));
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        var html = await review.Content.ReadAsStringAsync();
        Assert.Contains($"name=\"h\" value=\"{a.Hostname}\"", html);
        Assert.DoesNotContain(other.Hostname, html);

        using var none = await http.PostAsync("/rollouts/new?handler=start", Form(("command", "test"), ("batch_size", "1")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);

        using var started = await http.PostAsync("/rollouts/new?handler=start", Form(("command", "check-version"), ("h", a.Hostname), ("batch_size", "50%"), ("canary", "true")));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var id = started.Headers.Location!.OriginalString.Split('/')[^1];
        Assert.Matches("^[0-9a-f]{32}$", id);
        using var paused = await http.PostAsync($"/rollouts/{id}?handler=pause", Form());
        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        using var cancelled = await http.PostAsync($"/rollouts/{id}?handler=cancel", Form());
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        var page = await http.GetStringAsync($"/rollouts/{id}");
        Assert.Contains("cancelled", page);
        Assert.DoesNotContain("sse-connect", page); // an ended rollout has no live connection

        var log = Service<IAuditLog>();
        foreach (var action in new[] { "rollout.start", "rollout.pause", "rollout.cancel" })
            Assert.Contains(await log.QueryAsync(null, action, null, 50), e => e.Actor == OperatorClaims.OperatorUser && e.Detail!.Contains(id));
        var audit = await http.GetStringAsync("/audit?action=rollout.cancel");
        Assert.Contains(id, audit);
    }

    [Fact]
    public async Task A_confirmation_takes_thousands_of_selected_hosts_and_refuses_more_than_a_rollout_may_have()
    {
        using var http = await f.ClientAsync();
        var many = Enumerable.Range(0, 2000).Select(i => ("h", $"many-{i:0000}")).Prepend(("command", "test")).ToArray();
        using var review = await http.PostAsync("/rollouts/new", Form(many));
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.Contains("<strong>2000</strong> hosts", await review.Content.ReadAsStringAsync());

        var tooMany = Enumerable.Range(0, 10_001).Select(i => ("h", $"many-{i:00000}")).Concat([("command", "test"), ("batch_size", "1")]).ToArray();
        using var start = await http.PostAsync("/rollouts/new?handler=start", Form(tooMany));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, start.StatusCode);
        Assert.Contains("at most 10000 hosts", await start.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_factor_is_not_switched_on_without_a_setup_or_with_a_wrong_or_oversized_code()
    {
        var secrets = Service<SecretStore>();
        await secrets.DeleteAsync(SecretStore.TotpPending);
        using var http = await f.ClientAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync("/account?handler=enable", Form(("code", "123456")))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.PostAsync("/account?handler=begin", Form())).StatusCode);
        try
        {
            foreach (var code in new[] { new string('1', 5000), "<script>", "12 34 5", "" })
            {
                using var r = await http.PostAsync("/account?handler=enable", Form(("code", code)));
                Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
                Assert.DoesNotContain("<script>", await r.Content.ReadAsStringAsync());
            }
            Assert.Null(await secrets.GetAsync(SecretStore.TotpSecret));
            var page = await http.GetStringAsync("/account");
            Assert.Contains("svg class=\"qr\"", page);
            Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync("/account?handler=disable", Form(("code", "123456")))).StatusCode);
            Assert.Contains(await Service<IAuditLog>().QueryAsync(null, "totp.enable", null, 10), e => !e.Success);
        }
        finally
        {
            await secrets.DeleteAsync(SecretStore.TotpPending);
        }
    }

    [Fact]
    public async Task The_audit_page_is_newest_first_fifty_a_page_and_filters_by_actor_and_action()
    {
        var log = Service<IAuditLog>();
        var action = "paging.test-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 1; i <= 60; i++)
            await log.AppendAsync(new AuditEntry(action, i % 2 == 0 ? "token:even" : "token:odd", Detail: $"entry {i:000}"));
        using var http = await f.ClientAsync();

        var first = await http.GetStringAsync("/audit?action=" + action);
        var details = Details().Matches(first).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(50, details.Count);
        Assert.Equal("entry 060", details[0]);
        Assert.Equal("entry 011", details[^1]);
        var older = Older().Match(first).Groups[1].Value;
        var second = await http.GetStringAsync("/audit?" + System.Net.WebUtility.HtmlDecode(older));
        Assert.Equal(Enumerable.Range(1, 10).Reverse().Select(i => $"entry {i:000}"), Details().Matches(second).Select(m => m.Groups[1].Value));
        Assert.DoesNotMatch(Older(), second);

        var even = await http.GetStringAsync($"/audit?action={action}&actor=token:even");
        Assert.Equal(30, Details().Matches(even).Count);
        Assert.DoesNotContain("token:odd", even);
    }

    [GeneratedRegex("<td>(entry \\d+)</td>")]
    private static partial Regex Details();

    [GeneratedRegex("<a href=\"/audit\\?([^\"]+)\" rel=\"next\">")]
    private static partial Regex Older();

    [GeneratedRegex("<pre class=\"snippet\" id=\"nixos-module\">([^<]*)</pre>")]
    private static partial Regex NixosModule();
}
