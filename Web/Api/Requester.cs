namespace NixFleet.Web.Api;

/// <summary>Who asks: the signed-in operator or the API token's name, as the authentication handler set it.</summary>
public static class Requester
{
    public static string Of(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
}
