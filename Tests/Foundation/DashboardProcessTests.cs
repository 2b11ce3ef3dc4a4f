using System.Net;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Foundation;

/// <summary>The real dashboard binary: start-up, health, bad configuration.</summary>
public sealed class DashboardProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Starts_creates_the_database_and_answers_health()
    {
        await using var dash = DashboardProcess.Start(_dir.Path);
        await dash.WaitHealthyAsync();
        Assert.True(File.Exists(Path.Combine(_dir.Path, "nixfleet.db")));

        using var http = new HttpClient { BaseAddress = dash.BaseUri };
        var r = await http.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("{\"status\":\"ok\"}", await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("lib/htmx.min.js", "htmx")]
    [InlineData("lib/sse.min.js", "sse")]
    [InlineData("css/nixfleet.css", "prefers-color-scheme")]
    public async Task Serves_front_end_files_from_its_own_build_not_a_cdn(string path, string marker)
    {
        await using var dash = DashboardProcess.Start(_dir.Path);
        await dash.WaitHealthyAsync();
        using var http = new HttpClient { BaseAddress = dash.BaseUri };
        var body = await http.GetStringAsync(path);
        Assert.Contains(marker, body);
    }

    [Fact]
    public async Task Health_turns_503_with_the_reason_when_the_database_is_unreadable()
    {
        await using var dash = DashboardProcess.Start(_dir.Path);
        await dash.WaitHealthyAsync();

        // Tests run as root, where file modes do not stop reads: take the file away, as a lost volume would.
        var db = Path.Combine(_dir.Path, "nixfleet.db");
        var moved = db + ".away";
        File.Move(db, moved);

        using var http = new HttpClient { BaseAddress = dash.BaseUri };
        var r = await http.GetAsync("health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        var body = await r.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":\"unavailable\"", body);
        Assert.Contains("store", body);

        File.Move(moved, db);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
    }

    public static TheoryData<string, string> InvalidValues => new()
    {
        { "NIXFLEET_LISTEN", "nonsense" },
        { "NIXFLEET_DB_PATH", "/" },
        { "NIXFLEET_PASSWORD_HASH", "plaintext" },
        { "NIXFLEET_TOTP_SECRET", "0000" },
        { "NIXFLEET_SESSION_SECRET", "too-short" },
        { "NIXFLEET_ALLOW_SHARED_AGENT_TOKEN", "perhaps" },
        { "NIXFLEET_LOG_LEVEL", "verbose-ish" },
        { "NIXFLEET_ALLOWED_ORIGINS", "ftp://x" },
        { "NIXFLEET_SESSION_DURATION", "1 week" },
        { "NIXFLEET_SILO_PORT", "70000" },
    };

    [Theory, MemberData(nameof(InvalidValues))]
    public async Task Invalid_variable_stops_the_process_with_one_line(string variable, string value)
    {
        await using var dash = DashboardProcess.Start(_dir.Path, new Dictionary<string, string?> { [variable] = value });
        var exit = await dash.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        var line = Assert.Single(dash.Output, l => l.Length > 0);
        Assert.Contains(variable, line);
        Assert.Contains("expected", line);
    }

    [Fact]
    public async Task A_v1_variable_name_works_and_warns()
    {
        await using var dash = DashboardProcess.Start(_dir.Path, new Dictionary<string, string?>
        {
            ["NIXFLEET_API_TOKEN"] = "legacy-shared-agent-token",
        });
        await dash.WaitHealthyAsync();
        Assert.Contains(dash.Output, l => l.Contains("NIXFLEET_API_TOKEN") && l.Contains("NIXFLEET_AGENT_TOKEN"));
    }

    public void Dispose() => _dir.Dispose();
}
