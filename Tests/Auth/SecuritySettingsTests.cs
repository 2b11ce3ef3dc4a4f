using NixFleet.Silo.Configuration;

namespace NixFleet.Tests.Auth;

/// <summary>The variables this work added: NIXFLEET_TRUSTED_PROXIES, _AUDIT_RETENTION, _SESSION_IDLE_TIMEOUT.</summary>
public sealed class SecuritySettingsTests
{
    private static NixFleetOptions Load(params (string Name, string Value)[] vars) =>
        SettingsLoader.Load(n => vars.FirstOrDefault(v => v.Name == n).Value, new List<string>(), "/srv/x");

    [Theory]
    [InlineData("NIXFLEET_TRUSTED_PROXIES", "proxy.example")]
    [InlineData("NIXFLEET_TRUSTED_PROXIES", "10.0.0.0/33")]
    [InlineData("NIXFLEET_TRUSTED_PROXIES", "10.0.0.1,nonsense")]
    [InlineData("NIXFLEET_AUDIT_RETENTION", "forever")]
    [InlineData("NIXFLEET_AUDIT_RETENTION", "0d")]
    [InlineData("NIXFLEET_SESSION_IDLE_TIMEOUT", "-5m")]
    public void Invalid_values_name_the_variable(string variable, string value)
    {
        var e = Assert.Throws<ConfigurationError>(() => Load((variable, value)));
        Assert.Equal(variable, e.Variable);
        Assert.Contains("expected", e.Message);
    }

    [Fact]
    public void Defaults_and_valid_values()
    {
        var d = Load();
        Assert.Empty(d.TrustedProxies);
        Assert.Equal(TimeSpan.FromDays(90), d.AuditRetention);
        Assert.Equal(TimeSpan.FromHours(2), d.SessionIdleTimeout);

        var o = Load(("NIXFLEET_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16,::1"), ("NIXFLEET_AUDIT_RETENTION", "30d"), ("NIXFLEET_SESSION_IDLE_TIMEOUT", "15m"));
        Assert.Equal(["10.0.0.1/32", "192.168.0.0/16", "::1/128"], o.TrustedProxies.Select(n => n.ToString()));
        Assert.Equal(TimeSpan.FromDays(30), o.AuditRetention);
        Assert.Equal(TimeSpan.FromMinutes(15), o.SessionIdleTimeout);
    }

    [Fact]
    public void Every_new_variable_is_in_the_settings_list_and_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "README.md"));
        foreach (var s in new[] { Settings.TrustedProxies, Settings.AuditRetention, Settings.SessionIdleTimeout })
        {
            Assert.Contains(s, Settings.All);
            Assert.Contains($"`{s.Name}`", readme);
        }
    }
}
