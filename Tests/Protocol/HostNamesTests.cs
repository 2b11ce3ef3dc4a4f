using NixFleet.Protocol;

namespace NixFleet.Tests.Protocol;

/// <summary>The one hostname rule the gateway, the API and the host page all use.</summary>
public sealed class HostNamesTests
{
    [Theory]
    [InlineData("hsb0")]
    [InlineData("a")]
    [InlineData("web-1.example_lan")]
    public void Accepts_valid_names(string name) => Assert.True(HostNames.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData(".hidden")]
    [InlineData("has space")]
    [InlineData("trailing-newline\n")]
    [InlineData("<script>")]
    [InlineData("ünicode")]
    public void Refuses_invalid_names(string name) => Assert.False(HostNames.IsValid(name));

    [Fact]
    public void Refuses_names_over_63_characters()
    {
        Assert.True(HostNames.IsValid(new string('a', 63)));
        Assert.False(HostNames.IsValid(new string('a', 64)));
    }
}
