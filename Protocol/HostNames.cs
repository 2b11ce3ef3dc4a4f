using System.Text.RegularExpressions;

namespace NixFleet.Protocol;

/// <summary>What an agent may call itself: the rules a <c>register</c> is checked against.</summary>
public static partial class HostNames
{
    public static readonly IReadOnlyList<string> HostTypes = ["nixos", "macos"];

    /// <summary>Letters, digits, <c>-</c>, <c>_</c>, <c>.</c>; 1–63 characters; starting with a letter or digit.</summary>
    public static bool IsValid(string? hostname) => hostname is not null && Pattern().IsMatch(hostname);

    public static bool IsKnownHostType(string? hostType) => hostType is not null && HostTypes.Contains(hostType);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\z")] // \z, not $: "$" would let a trailing newline through
    private static partial Regex Pattern();
}
