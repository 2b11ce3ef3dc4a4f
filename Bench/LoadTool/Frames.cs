using System.Globalization;
using System.Text.Json;

namespace NixFleet.LoadTool;

/// <summary>The Go agent's frames (PROTOCOL.md), written as text.</summary>
internal static class Frames
{
    public static string Register(string host, int interval) =>
        $$$"""{"type":"register","payload":{"hostname":"{{{host}}}","host_type":"nixos","agent_version":"2.4.0","os_version":"25.05","nixpkgs_version":"25.05.20250624.1c1c9b3","generation":"8f3e2a1","theme_color":"#e0af68","heartbeat_interval":{{{interval}}},"location":"cloud","device_type":"server","repo_url":"","repo_dir":"/var/lib/nixfleet/repo"}}""";

    public static string Heartbeat(int index)
    {
        var cpu = (Random.Shared.NextDouble() * 100).ToString("0.0", CultureInfo.InvariantCulture);
        var load = (index % 10 / 10.0).ToString("0.0", CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        var check = "{\"status\":\"ok\",\"message\":\"\",\"checked_at\":\"" + now + "\"}";
        return "{\"type\":\"heartbeat\",\"payload\":{\"generation\":\"8f3e2a1\",\"nixpkgs_version\":\"25.05.20250624.1c1c9b3\",\"pending_command\":null,\"command_pid\":null,"
            + "\"metrics\":{\"cpu\":" + cpu + ",\"ram\":41.5,\"swap\":0,\"load\":" + load + "},"
            + "\"update_status\":{\"git\":" + check + ",\"lock\":" + check + ",\"system\":" + check + ",\"tests\":" + check + "}}}";
    }

    public static string Status(string command) =>
        $$$"""{"type":"status","payload":{"status":"ok","command":"{{{command}}}","exit_code":0,"message":"done","generation":"8f3e2a1"}}""";

    public static string CommandOf(string frame)
    {
        using var doc = JsonDocument.Parse(frame);
        return doc.RootElement.GetProperty("payload").GetProperty("command").GetString() ?? "";
    }
}
