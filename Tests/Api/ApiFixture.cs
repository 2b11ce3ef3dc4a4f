using System.Net.Http.Json;
using System.Text.Json;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Api;

/// <summary>One running dashboard (real Kestrel, co-hosted silo, SQLite file) shared by the tests of a class.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    public InProcessDashboard Dashboard { get; private set; } = null!;

    public async Task InitializeAsync() => Dashboard = await InProcessDashboard.StartAsync(_dir.Path);

    /// <summary>A client signed in as the operator (session cookie and CSRF header).</summary>
    public Task<HttpClient> ClientAsync() => Dashboard.CreateClientAsync();

    private readonly List<ApiAgent> _agents = [];

    /// <summary>An agent for a fresh host name over a real socket to <c>/ws</c>, registered and heartbeating.</summary>
    public async Task<ApiAgent> AgentAsync(string prefix)
    {
        var agent = await ApiAgent.StartAsync(Dashboard, prefix);
        lock (_agents) _agents.Add(agent);
        return agent;
    }

    public async Task DisposeAsync()
    {
        foreach (var a in _agents) await a.DisposeAsync();
        await Dashboard.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>JSON helpers for API tests: bodies are read as documents so field names are checked as sent.</summary>
public static class ApiJson
{
    public static async Task<JsonElement> ReadAsync(this HttpResponseMessage r) =>
        JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, object body) =>
        http.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient http, string path, string body, string contentType = "application/json") =>
        http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, contentType));

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path)
    {
        using var r = await http.GetAsync(path);
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return await r.ReadAsync();
    }

    /// <summary>Polls a JSON resource until <paramref name="until"/> holds.</summary>
    public static async Task<JsonElement> WaitJsonAsync(this HttpClient http, string path, Func<JsonElement, bool> until, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await http.GetJsonAsync(path);
            if (until(last)) return last;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"{path} never matched; last: {last}");
    }
}
