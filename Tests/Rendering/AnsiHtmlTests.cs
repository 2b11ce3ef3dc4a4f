using NixFleet.Web.Rendering;

namespace NixFleet.Tests.Rendering;

public sealed class AnsiHtmlTests
{
    [Fact]
    public void Plain_text_is_encoded() =>
        Assert.Equal("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co", AnsiHtml.ToHtml("<script>alert(\"x\")</script> & co"));

    [Fact]
    public void Colours_become_spans_and_reset_closes_them() =>
        Assert.Equal("building <span class=\"ansi-green ansi-bold\">ok</span> done",
            AnsiHtml.ToHtml("building \x1b[1;32mok\x1b[0m done"));

    [Fact]
    public void Bright_and_background_colours_have_their_own_classes() =>
        Assert.Equal("<span class=\"ansi-bright-red ansi-bg-blue\">E</span>", AnsiHtml.ToHtml("\x1b[91;44mE"));

    [Fact]
    public void Other_control_sequences_and_characters_are_dropped() =>
        Assert.Equal("progress 50%done", AnsiHtml.ToHtml("\x1b[2Kprogress 50%\r\x07\x1b]0;title\x07\x1b]8;;http://x\x1b\\done"));

    [Fact]
    public void Html_inside_coloured_text_is_still_encoded() =>
        Assert.Equal("<span class=\"ansi-red\">&lt;img src=x onerror=alert(1)&gt;</span>",
            AnsiHtml.ToHtml("\x1b[31m<img src=x onerror=alert(1)>\x1b[m"));

    [Fact]
    public void Truncated_sequence_at_the_end_is_dropped() => Assert.Equal("abc", AnsiHtml.ToHtml("abc\x1b[31"));

    [Fact]
    public void Plain_text_export_strips_every_sequence() =>
        Assert.Equal("warning: x", AnsiHtml.ToPlainText("\x1b[33mwarning:\x1b[0m x\x1b[K"));
}
