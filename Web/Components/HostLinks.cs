namespace NixFleet.Web.Components;

/// <summary>Addresses of the host page and its handlers (hostnames are checked before use, and escaped anyway).</summary>
public static class HostLinks
{
    public static string Page(string host) => "/hosts/" + Uri.EscapeDataString(host);

    public static string Select(string host, string commandId, int page = 0) =>
        $"{Page(host)}?command={Uri.EscapeDataString(commandId)}" + (page > 0 ? $"&p={page}" : "");

    public static string Handler(string host, string handler) => $"{Page(host)}?handler={handler}";

    public static string History(string host, int page, string? selected) =>
        $"{Handler(host, "History")}&p={page}" + (selected is null ? "" : "&command=" + Uri.EscapeDataString(selected));

    public static string Output(string host, string commandId, int page) =>
        $"{Handler(host, "Output")}&command={Uri.EscapeDataString(commandId)}&p={page}";

    public static string Download(string commandId) => $"/api/commands/{Uri.EscapeDataString(commandId)}/output.txt";

    public static string HostLive(string host) => $"/live/hosts/{Uri.EscapeDataString(host)}/commands";

    /// <summary>The host page's one live connection, following the output of <paramref name="commandId"/> after a seq.</summary>
    public static string HostLive(string host, string commandId, long after) =>
        $"{HostLive(host)}?command={Uri.EscapeDataString(commandId)}&after={after}";

    /// <summary>The SSE event that carries one command's state block.</summary>
    public static string StateEvent(string commandId) => "command-" + commandId;
}
