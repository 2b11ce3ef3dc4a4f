using System.Text.RegularExpressions;
using NixFleet.Silo.Configuration;

namespace NixFleet.Tests.Ship;

/// <summary>
/// compose/nixfleet.env.example lists exactly the variables the dashboard reads (Settings.All, the list the
/// loader reads from), each with a comment, and carries no secret.
/// </summary>
public sealed partial class EnvExampleTests
{
    /// <summary>An entry is <c>NAME=value</c>, or <c># NAME=value</c> for an optional one left at its default.</summary>
    private sealed record Entry(string Name, string Value, bool Commented, int Line);

    private static List<Entry> Entries(string text) =>
        text.Split('\n').Select((line, i) => (Match: EntryLine().Match(line), Line: i))
            .Where(x => x.Match.Success)
            .Select(x => new Entry(x.Match.Groups["name"].Value, x.Match.Groups["value"].Value.Trim(),
                x.Match.Groups["hash"].Success, x.Line))
            .ToList();

    private static readonly string Text = RepoFiles.Read("compose", "nixfleet.env.example");

    [Fact]
    public void Lists_exactly_the_variables_the_dashboard_reads()
    {
        var listed = Entries(Text).Select(e => e.Name).ToList();
        var read = Settings.All.Select(s => s.Name).ToList();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        var missing = read.Except(listed).ToList();
        var unknown = listed.Except(read).ToList();
        Assert.True(missing.Count == 0 && unknown.Count == 0,
            $"missing from the example: [{string.Join(", ", missing)}]; listed but not read: [{string.Join(", ", unknown)}]");
    }

    [Fact]
    public void Every_variable_is_explained_by_the_comment_above_it()
    {
        var lines = Text.Split('\n');
        foreach (var entry in Entries(Text))
        {
            var above = entry.Line > 0 ? lines[entry.Line - 1] : "";
            Assert.True(above.StartsWith("# ", StringComparison.Ordinal) && !EntryLine().IsMatch(above),
                $"{entry.Name} has no comment line above it");
        }
    }

    [Fact]
    public void Legacy_names_are_mentioned_but_not_set()
    {
        var legacy = Settings.All.SelectMany(s => s.LegacyNames).ToList();
        Assert.NotEmpty(legacy);
        var names = Entries(Text).Select(e => e.Name).ToHashSet();
        Assert.All(legacy, l => Assert.DoesNotContain(l, names));
        Assert.All(legacy, l => Assert.Contains(l, Text));
    }

    [Fact]
    public void Secrets_are_left_empty()
    {
        var secrets = new[] { Settings.PasswordHash, Settings.TotpSecret, Settings.SessionSecret, Settings.AgentToken };
        var entries = Entries(Text).ToDictionary(e => e.Name);
        Assert.All(secrets, s => Assert.Equal("", entries[s.Name].Value));
    }

    [Fact]
    public void The_entry_format_recognises_set_and_commented_variables_but_not_prose()
    {
        var sample = "# Prose mentioning NIXFLEET_FOO is not an entry.\nNIXFLEET_A=1\n# NIXFLEET_B=two\n#NIXFLEET_C=\n";
        var entries = Entries(sample);
        Assert.Equal(["NIXFLEET_A", "NIXFLEET_B", "NIXFLEET_C"], entries.Select(e => e.Name));
        Assert.Equal([false, true, true], entries.Select(e => e.Commented));
    }

    [GeneratedRegex(@"^(?<hash>#\s?)?(?<name>NIXFLEET_[A-Z0-9_]+)=(?<value>.*)$")]
    private static partial Regex EntryLine();
}
