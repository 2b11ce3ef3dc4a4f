using NixFleet.Silo.Configuration;

namespace NixFleet.Tests.Foundation;

/// <summary>Each variable: what it accepts, and the one-line error naming it when it does not.</summary>
public sealed class SettingsLoaderTests
{
    public static TheoryData<string, string> InvalidValues => new()
    {
        { "NIXFLEET_LISTEN", "8000" },
        { "NIXFLEET_LISTEN", "0.0.0.0:99999" },
        { "NIXFLEET_LISTEN", "example.com:8000" },
        { "NIXFLEET_PASSWORD_HASH", "hunter2" },
        { "NIXFLEET_TOTP_SECRET", "not-base32!" },
        { "NIXFLEET_SESSION_SECRET", "short" },
        { "NIXFLEET_ALLOW_SHARED_AGENT_TOKEN", "maybe" },
        { "NIXFLEET_LOG_LEVEL", "loud" },
        { "NIXFLEET_ALLOWED_ORIGINS", "fleet.example.com" },
        { "NIXFLEET_SESSION_DURATION", "forever" },
        { "NIXFLEET_SESSION_DURATION", "0h" },
        { "NIXFLEET_SILO_PORT", "-1" },
        { "NIXFLEET_DB_PATH", "/tmp" },
    };

    [Theory, MemberData(nameof(InvalidValues))]
    public void Invalid_value_names_the_variable(string variable, string value)
    {
        var e = Assert.Throws<ConfigurationError>(() => Load((variable, value)));
        Assert.Equal(variable, e.Variable);
        Assert.StartsWith(variable + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var o = Load();
        Assert.Null(o.Listen.Address);
        Assert.Equal(8000, o.Listen.Port);
        Assert.Equal(Path.GetFullPath("/srv/x/data"), o.DataDir);
        Assert.Equal(Path.Combine(o.DataDir, "nixfleet.db"), o.DbPath);
        Assert.Equal(TimeSpan.FromHours(24), o.SessionDuration);
        Assert.True(o.AllowSharedAgentToken);
    }

    [Theory]
    [InlineData(":8000", null, 8000)]
    [InlineData("127.0.0.1:9000", "127.0.0.1", 9000)]
    [InlineData("[::1]:8001", "::1", 8001)]
    [InlineData("0.0.0.0:8000", null, 8000)]
    public void Listen_accepts_its_forms(string value, string? address, int port)
    {
        var l = SettingsLoader.ParseListen(value);
        Assert.Equal(address, l.Address?.ToString());
        Assert.Equal(port, l.Port);
    }

    [Fact]
    public void Valid_values_are_taken()
    {
        var o = Load(
            ("NIXFLEET_PASSWORD_HASH", "$2b$12$abcdefghijklmnopqrstuuJDu1Nm0dFq6qNnQWvX5rGDSeXgzn1.K"),
            ("NIXFLEET_TOTP_SECRET", "jbsw y3dp ehpk 3pxp"),
            ("NIXFLEET_SESSION_DURATION", "1h30m"),
            ("NIXFLEET_ALLOWED_ORIGINS", "https://fleet.example.com, http://localhost:8000"),
            ("NIXFLEET_LOG_LEVEL", "WARN"),
            ("NIXFLEET_DB_PATH", "db/fleet.db"));
        Assert.Equal("JBSWY3DPEHPK3PXP", o.TotpSecret);
        Assert.Equal(TimeSpan.FromMinutes(90), o.SessionDuration);
        Assert.Equal(["https://fleet.example.com", "http://localhost:8000"], o.AllowedOrigins);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, o.LogLevel);
        Assert.Equal(Path.GetFullPath("/srv/x/db/fleet.db"), o.DbPath);
    }

    [Fact]
    public void V1_names_work_and_warn()
    {
        var warnings = new List<string>();
        var o = SettingsLoader.Load(Env(("NIXFLEET_API_TOKEN", "a-long-enough-agent-token"),
            ("NIXFLEET_SESSION_SECRETS", new string('s', 40)), ("NIXFLEET_AGENT_TOKEN_HASH_SECRET", "x")), warnings, "/srv/x");
        Assert.Equal("a-long-enough-agent-token", o.AgentToken);
        Assert.Equal(new string('s', 40), o.SessionSecret);
        Assert.Contains(warnings, w => w.Contains("NIXFLEET_API_TOKEN") && w.Contains("NIXFLEET_AGENT_TOKEN"));
        Assert.Contains(warnings, w => w.Contains("NIXFLEET_SESSION_SECRETS"));
        Assert.Contains(warnings, w => w.Contains("NIXFLEET_AGENT_TOKEN_HASH_SECRET") && w.Contains("ignored"));
    }

    [Fact]
    public void New_name_wins_over_v1_name()
    {
        var o = Load(("NIXFLEET_API_TOKEN", "old-token-old-token"), ("NIXFLEET_AGENT_TOKEN", "new-token-new-token"));
        Assert.Equal("new-token-new-token", o.AgentToken);
    }

    private static NixFleetOptions Load(params (string, string)[] vars) => SettingsLoader.Load(Env(vars), new List<string>(), "/srv/x");

    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var d = vars.ToDictionary(v => v.Key, v => v.Value);
        return k => d.GetValueOrDefault(k);
    }
}
