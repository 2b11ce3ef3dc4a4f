using NixFleet.Web.Auth;

namespace NixFleet.Web.Api;

/// <summary>Who asks: the signed-in operator, or <c>token:NAME</c> for an API token, as the authentication handler set it.</summary>
public static class Requester
{
    public static string Of(HttpContext http) => http.User.OperatorName() ?? "anonymous";
}
