namespace NixFleet.Grains.Interfaces.Commands;

/// <summary>
/// Command ids carry their host: <c>{32 hex digits of a v7 guid}-{hostname}</c>. Whoever holds only the id (the JSON
/// API, a link to the output) finds the host grain that owns the command without an index to keep in step.
/// </summary>
public static class CommandIds
{
    private const int GuidLength = 32;

    public static string New(string hostname) => Guid.CreateVersion7().ToString("N") + "-" + hostname;

    /// <summary>The hostname part of a well-formed id; false for anything else (checked before any grain is asked).</summary>
    public static bool TryGetHost(string? id, out string host)
    {
        host = "";
        if (id is null || id.Length < GuidLength + 2 || id.Length > GuidLength + 1 + 63 || id[GuidLength] != '-') return false;
        for (var i = 0; i < GuidLength; i++)
            if (!char.IsAsciiHexDigitLower(id[i])) return false;
        var name = id[(GuidLength + 1)..];
        if (!char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        host = name;
        return true;
    }
}
