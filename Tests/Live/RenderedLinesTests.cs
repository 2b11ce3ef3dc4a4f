using System.Text;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Web.Live;

namespace NixFleet.Tests.Live;

public class RenderedLinesTests
{
    private static StoredOutputLine Line(long seq, string text, string stream = "stdout") =>
        new("cmd-render", seq, "web-01", stream, false, text, DateTimeOffset.UnixEpoch);

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    [Fact]
    public void Lines_sharing_a_ring_slot_each_get_their_own_rendering()
    {
        var first = Line(7, "first line");
        var second = Line(7 + RenderedLines.Slots, "second line", "stderr");

        Assert.Contains("first line", Text(RenderedLines.Get(first)));
        var other = Text(RenderedLines.Get(second));
        Assert.Contains("second line", other);
        Assert.Contains("stderr", other);
        // The evicted line is rendered again, never answered with the line that took its slot.
        Assert.Contains("first line", Text(RenderedLines.Get(first)));
    }

    [Fact]
    public void An_equal_line_from_the_store_is_rendered_as_its_own_object()
    {
        var live = Line(11, "same text");
        var stored = Line(11, "same text");
        Assert.Equal(Text(RenderedLines.Get(live)), Text(RenderedLines.Get(stored)));
    }

    [Fact]
    public void A_line_renders_as_one_escaped_data_field()
    {
        var line = Line(23, "\u001b[31mred\u001b[0m and <b>");
        var html = Text(RenderedLines.Get(line));
        Assert.StartsWith("data: <div class=\"line\" data-seq=\"23\">", html);
        Assert.EndsWith("</div>\n", html);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("\u001b", html);
    }
}
