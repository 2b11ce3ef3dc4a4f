using System.Globalization;

namespace NixFleet.Web.Rollouts;

/// <summary>A batch size as typed: a whole number of hosts (1 or more) or a percentage "1%".."100%".</summary>
public static class BatchSize
{
    /// <summary>(size, percent); null when the text is neither. Null or empty text means one host per wave.</summary>
    public static (int? Size, int? Percent)? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (1, null);
        var s = text.Trim();
        var percent = s.EndsWith('%');
        if (!int.TryParse(percent ? s[..^1] : s, NumberStyles.None, CultureInfo.InvariantCulture, out var x)) return null;
        if (percent) return x is >= 1 and <= 100 ? (null, x) : null;
        return x >= 1 ? (x, null) : null;
    }
}
