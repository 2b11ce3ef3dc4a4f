namespace NixFleet.Web.Auth;

/// <summary>API tokens carry a prefix so no check can mistake one for an agent token, and scanners can spot leaks.</summary>
public static class ApiTokenFormat
{
    public const string Prefix = "nfapi_";

    public static string New() => Prefix + TokenHashing.NewSecret();

    public static bool Looks(string token) => token.StartsWith(Prefix, StringComparison.Ordinal);
}
