using System.Net;
using System.Text;

namespace NixFleet.Web.Rendering;

/// <summary>
/// Turns a line of terminal output into safe HTML: text is always encoded, SGR colour codes (ESC[…m) become
/// <c>span</c>s with fixed class names, and every other control sequence is dropped. Lines are stored as the
/// agent sent them; this runs only when a line is shown.
/// </summary>
public static class AnsiHtml
{
    private static readonly string[] Colours = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

    public static string ToHtml(string line)
    {
        var html = new StringBuilder(line.Length + 16);
        var style = new SgrState();
        var open = false;
        var text = new StringBuilder();

        void Flush()
        {
            if (text.Length == 0) return;
            var classes = style.Classes();
            if (classes.Length > 0 && !open) { html.Append("<span class=\"").Append(classes).Append("\">"); open = true; }
            html.Append(WebUtility.HtmlEncode(text.ToString()));
            text.Clear();
        }

        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\x1b')
            {
                var end = SequenceEnd(line, i);
                if (end > i + 1 && line[i + 1] == '[' && line[end] == 'm')
                {
                    Flush();
                    if (open) { html.Append("</span>"); open = false; }
                    style.Apply(line.AsSpan(i + 2, end - i - 2));
                }
                i = end;
            }
            else if (c == '\t' || !char.IsControl(c)) text.Append(c);
        }
        Flush();
        if (open) html.Append("</span>");
        return html.ToString();
    }

    /// <summary>Plain text with every escape sequence and control character removed (downloads, titles).</summary>
    public static string ToPlainText(string line)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\x1b') i = SequenceEnd(line, i);
            else if (line[i] == '\t' || !char.IsControl(line[i])) sb.Append(line[i]);
        }
        return sb.ToString();
    }

    // Index of the last character of the escape sequence starting at i:
    // CSI (ESC [ params final-byte), OSC (ESC ] … BEL or ESC \), or a two-character escape.
    private static int SequenceEnd(string s, int i)
    {
        if (i + 1 >= s.Length) return i;
        if (s[i + 1] == ']')
        {
            for (var j = i + 2; j < s.Length; j++)
            {
                if (s[j] == '\x07') return j;
                if (s[j] == '\x1b' && j + 1 < s.Length && s[j + 1] == '\\') return j + 1;
            }
            return s.Length - 1;
        }
        if (s[i + 1] != '[') return i + 1;
        for (var j = i + 2; j < s.Length; j++)
            if (s[j] is >= '@' and <= '~') return j;
        return s.Length - 1;
    }

    private struct SgrState
    {
        private int _fg, _bg; // 0 = default, 1..16 = colour index + 1
        private bool _bold, _dim, _italic, _underline;

        public void Apply(ReadOnlySpan<char> parameters)
        {
            if (parameters.IsEmpty) { this = default; return; }
            foreach (var range in parameters.Split(';'))
            {
                if (!int.TryParse(parameters[range], out var code)) code = 0;
                switch (code)
                {
                    case 0: this = default; break;
                    case 1: _bold = true; break;
                    case 2: _dim = true; break;
                    case 3: _italic = true; break;
                    case 4: _underline = true; break;
                    case 22: _bold = _dim = false; break;
                    case 23: _italic = false; break;
                    case 24: _underline = false; break;
                    case >= 30 and <= 37: _fg = code - 29; break;
                    case 39: _fg = 0; break;
                    case >= 40 and <= 47: _bg = code - 39; break;
                    case 49: _bg = 0; break;
                    case >= 90 and <= 97: _fg = code - 89 + 8; break;
                    case >= 100 and <= 107: _bg = code - 99 + 8; break;
                }
            }
        }

        public readonly string Classes()
        {
            var parts = new List<string>(4);
            if (_fg > 0) parts.Add("ansi-" + Name(_fg));
            if (_bg > 0) parts.Add("ansi-bg-" + Name(_bg));
            if (_bold) parts.Add("ansi-bold");
            if (_dim) parts.Add("ansi-dim");
            if (_italic) parts.Add("ansi-italic");
            if (_underline) parts.Add("ansi-underline");
            return string.Join(' ', parts);
        }

        private static string Name(int index) => index > 8 ? "bright-" + Colours[index - 9] : Colours[index - 1];
    }
}
