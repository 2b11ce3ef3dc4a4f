namespace NixFleet.Web.Hosts;

/// <summary>
/// What an operator pastes to add a host: the token file, and services.nixfleet-agent for NixOS or home-manager
/// (option names of nix/agent-options.nix). Every value goes through <see cref="NixString"/>.
/// </summary>
public static class AgentSnippets
{
    public const string NixosTokenFile = "/var/lib/nixfleet-token";

    public sealed record Input(string Hostname, string Url, string Location, string DeviceType, string? ThemeColor, string? RepoUrl, string Branch);

    public static string TokenCommand(string token, bool homeManager) => homeManager
        ? $"install -d -m 0700 ~/.config/nixfleet && printf '%s' '{token}' > ~/.config/nixfleet/token && chmod 0400 ~/.config/nixfleet/token"
        : $"printf '%s' '{token}' | sudo install -m 0400 -o root /dev/stdin {NixosTokenFile}";

    public static string Nixos(Input i) => Module(i, "nixfleet.nixosModules.nixfleet-agent", NixString.Quote(NixosTokenFile));

    public static string HomeManager(Input i) =>
        Module(i, "nixfleet.homeManagerModules.nixfleet-agent", "\"${config.xdg.configHome}/nixfleet/token\"");

    private static string Module(Input i, string import, string tokenFile)
    {
        var lines = new List<string>
        {
            $"# imports = [ {import} ];",
            "services.nixfleet-agent = {",
            "  enable = true;",
            $"  url = {NixString.Quote(i.Url)};",
            $"  tokenFile = {tokenFile};",
        };
        lines.Add($"  hostname = {NixString.Quote(i.Hostname)};");
        lines.Add(i.RepoUrl is { Length: > 0 } repo ? $"  repoUrl = {NixString.Quote(repo)};" : "  repoDir = \"/etc/nixos\"; # or repoUrl = \"git@…\";");
        if (i.Branch != "main") lines.Add($"  branch = {NixString.Quote(i.Branch)};");
        lines.Add($"  location = {NixString.Quote(i.Location)};");
        lines.Add($"  deviceType = {NixString.Quote(i.DeviceType)};");
        if (i.ThemeColor is { } colour) lines.Add($"  themeColor = {NixString.Quote(colour)};");
        lines.Add("};");
        return string.Join('\n', lines);
    }
}
