using NixFleet.Grains.Commands;
using NixFleet.Silo.Configuration;

namespace NixFleet.Tests.Commands;

public sealed class OutputRetentionSettingTests
{
    private static NixFleetOptions Load(string? value) =>
        SettingsLoader.Load(name => name == Settings.OutputRetention.Name ? value : null, new List<string>(), "/tmp");

    [Fact]
    public void Output_retention_defaults_to_30_days_and_reads_durations()
    {
        Assert.Equal(TimeSpan.FromDays(30), Load(null).OutputRetention);
        Assert.Equal(TimeSpan.FromDays(7), Load("7d").OutputRetention);
        Assert.Equal(TimeSpan.FromDays(30), new CommandOptions().OutputRetention);
        Assert.Contains(Settings.OutputRetention, Settings.All);
    }

    [Theory]
    [InlineData("forever")]
    [InlineData("-1d")]
    [InlineData("0s")]
    public void A_bad_output_retention_is_a_configuration_error_naming_the_variable(string value)
    {
        var e = Assert.Throws<ConfigurationError>(() => Load(value));
        Assert.Equal("NIXFLEET_OUTPUT_RETENTION", e.Variable);
    }
}
