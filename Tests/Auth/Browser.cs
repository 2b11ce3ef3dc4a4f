using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace NixFleet.Tests.Auth;

/// <summary>
/// A minimal browser over real HTTP: a cookie jar we can read and tamper with, no automatic redirects, and a fixed
/// source address on the loopback network.
/// </summary>
public sealed partial class Browser : IDisposable
{
    private readonly HttpClient _http;

    public Dictionary<string, string> Cookies { get; } = new();
    public List<string> LastSetCookies { get; } = [];
    public IPAddress Source { get; }

    public Browser(Uri baseUri, IPAddress source)
    {
        Source = source;
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (ctx, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(ctx.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, IDictionary<string, string>? headers = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        var response = await _http.SendAsync(request, completion);
        LastSetCookies.Clear();
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var line in set)
            {
                LastSetCookies.Add(line);
                var nameValue = line.Split(';')[0];
                var eq = nameValue.IndexOf('=');
                var (name, value) = (nameValue[..eq], nameValue[(eq + 1)..]);
                if (value.Length == 0 || line.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) Cookies.Remove(name);
                else Cookies[name] = value;
            }
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path, IDictionary<string, string>? headers = null) => SendAsync(HttpMethod.Get, path, null, headers);

    public Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> form, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, new FormUrlEncodedContent(form), headers);

    public Task<HttpResponseMessage> PostJsonAsync<T>(string path, T body, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, JsonContent.Create(body), headers);

    public Task<HttpResponseMessage> LoginAsync(string password = AuthApp.Password, string code = "", IDictionary<string, string>? headers = null) =>
        PostFormAsync("login", new Dictionary<string, string> { ["password"] = password, ["code"] = code }, headers);

    /// <summary>Logs in and returns the csrf token of the signed-in page.</summary>
    public async Task<string> SignInAsync(string password = AuthApp.Password, string code = "")
    {
        var login = await LoginAsync(password, code);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return await CsrfTokenAsync();
    }

    public async Task<string> CsrfTokenAsync()
    {
        var page = await GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var match = CsrfMeta().Match(await page.Content.ReadAsStringAsync());
        Assert.True(match.Success, "the signed-in page carries <meta name=\"csrf-token\">");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();

    public void Dispose() => _http.Dispose();
}
