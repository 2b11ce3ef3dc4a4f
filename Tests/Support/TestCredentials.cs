using System.Net;
using System.Text.RegularExpressions;

namespace NixFleet.Tests.Support;

/// <summary>
/// Known operator credentials for test dashboards, and sign-in over real HTTP: every page and /api/* needs a
/// session (or an API token), and every non-GET request from a session needs its CSRF token.
/// Sign-in is limited to 5 attempts a minute per address: sign in once per dashboard and reuse the session.
/// </summary>
public static partial class TestCredentials
{
    public const string Password = "test operator password";
    public const string AgentToken = "shared-agent-token-for-tests-0123456789";

    /// <summary>bcrypt at cost 4: tests sign in often, and the cost is the hash's own business.</summary>
    public static readonly string PasswordHash = BCrypt.Net.BCrypt.HashPassword(Password, 4);

    /// <summary>For <see cref="DashboardProcess.Start"/>: fixed credentials instead of generated ones.</summary>
    public static IReadOnlyDictionary<string, string?> Env => new Dictionary<string, string?>
    {
        ["NIXFLEET_PASSWORD_HASH"] = PasswordHash,
        ["NIXFLEET_AGENT_TOKEN"] = AgentToken,
    };

    /// <summary>Signs in once; the returned session makes any number of clients.</summary>
    public static async Task<OperatorSession> SignInAsync(Uri baseUri, string password = Password)
    {
        using var bare = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseUri };
        var login = await bare.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = password }));
        if (login.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"sign-in failed: {(int)login.StatusCode}");
        var cookie = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.Contains("nixfleet_session="));

        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie);
        var html = await (await bare.SendAsync(page)).Content.ReadAsStringAsync();
        var csrf = CsrfMeta().Match(html);
        if (!csrf.Success) throw new InvalidOperationException("signed-in page has no csrf-token meta tag");
        return new OperatorSession(baseUri, cookie, csrf.Groups[1].Value);
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();
}

/// <summary>A signed-in operator: its cookie (<c>name=value</c>) and CSRF token.</summary>
public sealed record OperatorSession(Uri BaseUri, string Cookie, string CsrfToken)
{
    /// <summary>A client sending the cookie and X-CSRF-Token on every request; redirects are not followed.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("Cookie", Cookie);
        client.DefaultRequestHeaders.Add("X-CSRF-Token", CsrfToken);
        return client;
    }
}
