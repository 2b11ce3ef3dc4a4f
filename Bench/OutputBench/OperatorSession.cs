using System.Net;
using System.Text.RegularExpressions;

namespace NixFleet.OutputBench;

/// <summary>Signs in as the operator (password form), then sends the session cookie and CSRF token on every request.</summary>
internal static partial class OperatorSession
{
    public static async Task<HttpClient> SignInAsync(Uri baseUri, string password)
    {
        using var bare = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseUri };
        using var login = await bare.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = password }));
        if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in failed: {(int)login.StatusCode}");
        var cookie = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.Contains("nixfleet_session="));
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie);
        var html = await (await bare.SendAsync(page)).Content.ReadAsStringAsync();
        var csrf = CsrfMeta().Match(html);
        if (!csrf.Success) throw new InvalidOperationException("the signed-in page has no csrf-token");

        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        client.DefaultRequestHeaders.Add("X-CSRF-Token", csrf.Groups[1].Value);
        return client;
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();
}
