using System.Text;

namespace NixFleet.Web.Hosts;

/// <summary>A value as a Nix double-quoted string: quotes, backslashes and <c>${</c> escaped, so pasted text stays data.</summary>
public static class NixString
{
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '$' when i + 1 < value.Length && value[i + 1] == '{': sb.Append("\\$"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
