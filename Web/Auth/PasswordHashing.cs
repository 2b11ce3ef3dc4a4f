namespace NixFleet.Web.Auth;

/// <summary>bcrypt, as NIXFLEET_PASSWORD_HASH expects it ($2a$/$2b$/$2y$ all verify).</summary>
public static class PasswordHashing
{
    public const int WorkFactor = 12;

    public static string Hash(string password) => BCrypt.Net.BCrypt.HashPassword(password, WorkFactor);

    public static bool Verify(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }
}
