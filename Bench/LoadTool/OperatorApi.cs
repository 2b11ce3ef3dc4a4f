using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NixFleet.LoadTool;

/// <summary>The dashboard's JSON API as a signed-in operator: session cookie, and the CSRF token on every request.</summary>
internal sealed partial class OperatorApi(HttpClient http) : IDisposable
{
    public static async Task<OperatorApi> SignInAsync(Uri baseUri, string password)
    {
        using var bare = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseUri };
        using var login = await bare.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = password }));
        if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in failed: {(int)login.StatusCode}");
        var cookie = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.Contains("nixfleet_session="));
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie);
        var csrf = CsrfMeta().Match(await (await bare.SendAsync(page)).Content.ReadAsStringAsync());
        if (!csrf.Success) throw new InvalidOperationException("the signed-in page has no csrf-token");
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 64 })
            { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        http.DefaultRequestHeaders.Add("X-CSRF-Token", csrf.Groups[1].Value);
        return new OperatorApi(http);
    }

    public async Task<HashSet<string>> OnlineHostsAsync()
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/hosts"));
        return doc.RootElement.GetProperty("hosts").EnumerateArray()
            .Where(h => h.GetProperty("online").GetBoolean()).Select(h => h.GetProperty("hostname").GetString()!).ToHashSet();
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var r = await http.PostAsJsonAsync(path, body);
        var text = await r.Content.ReadAsStringAsync();
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(path));
        return doc.RootElement.Clone();
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();
}
