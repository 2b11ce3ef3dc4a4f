using System.Text.Json;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Ship;

/// <summary>
/// The NixOS and home-manager modules evaluated for real by nix-instantiate, against a stand-in for the few
/// nixpkgs lib functions they use (Tests/Ship/Nix/eval-module.nix): what service each one declares.
/// </summary>
public sealed class NixModuleTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static readonly Dictionary<string, object> Agent = new()
    {
        ["enable"] = true,
        ["url"] = "wss://fleet.example.com/ws",
        ["tokenFile"] = "/run/agenix/nixfleet-token",
        ["repoUrl"] = "git@example.com:me/nixcfg.git",
    };

    private static JsonElement Eval(string module, IReadOnlyDictionary<string, object> settings, bool darwin = false)
    {
        var result = Tool.Run("nix-instantiate", [
            "--readonly-mode", "--eval", "--strict", "--json", RepoFiles.Path("Tests", "Ship", "Nix", "eval-module.nix"),
            "--arg", "module", RepoFiles.Path(module),
            "--argstr", "settingsJson", JsonSerializer.Serialize(settings),
            "--arg", "darwin", darwin ? "true" : "false",
        ]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    private static Dictionary<string, object> With(IReadOnlyDictionary<string, object> baseSettings, params (string Key, object Value)[] changes)
    {
        var d = new Dictionary<string, object>(baseSettings);
        foreach (var (k, v) in changes) d[k] = v;
        return d;
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Theory]
    [InlineData("nix/nixos-agent.nix", false)]
    [InlineData("nix/home-agent.nix", true)]
    public void Agent_modules_have_nixfleets_option_names(string module, bool darwin)
    {
        var options = Strings(Eval(module, Agent, darwin).GetProperty("options"));
        string[] nixfleet = ["enable", "url", "tokenFile", "repoUrl", "branch", "interval", "location", "deviceType",
            "themeColor", "hostname", "logLevel", "sshKeyFile", "user"];
        Assert.Empty(nixfleet.Except(options));
    }

    [Fact]
    public void NixOS_agent_is_a_service_a_switch_does_not_restart_with_a_private_state_dir()
    {
        var root = Eval("nix/nixos-agent.nix", Agent);
        Assert.Empty(root.GetProperty("failedAssertions").EnumerateArray());
        var unit = root.GetProperty("config").GetProperty("systemd").GetProperty("services").GetProperty("nixfleet-agent");

        Assert.Contains("network-online.target", Strings(unit.GetProperty("after")));
        Assert.Contains("network-online.target", Strings(unit.GetProperty("wants")));
        Assert.Contains("multi-user.target", Strings(unit.GetProperty("wantedBy")));
        Assert.False(unit.GetProperty("restartIfChanged").GetBoolean());
        Assert.False(unit.GetProperty("stopIfChanged").GetBoolean());

        var service = unit.GetProperty("serviceConfig");
        Assert.Equal("always", service.GetProperty("Restart").GetString());
        Assert.Equal("nixfleet-agent", service.GetProperty("StateDirectory").GetString());
        Assert.Equal("0700", service.GetProperty("StateDirectoryMode").GetString());
        Assert.Equal("nixfleet-agent", service.GetProperty("User").GetString());
        Assert.EndsWith("/bin/nixfleet-agent", service.GetProperty("ExecStart").GetString());
        Assert.Equal(["token:/run/agenix/nixfleet-token"], Strings(service.GetProperty("LoadCredential")));

        var env = unit.GetProperty("environment");
        Assert.Equal("%d/token", env.GetProperty("NIXFLEET_TOKEN_FILE").GetString());
        Assert.Equal("wss://fleet.example.com/ws", env.GetProperty("NIXFLEET_URL").GetString());
        Assert.Equal("git@example.com:me/nixcfg.git", env.GetProperty("NIXFLEET_REPO_URL").GetString());
        Assert.Equal("hsb0", env.GetProperty("NIXFLEET_HOSTNAME").GetString());
        Assert.Equal("/var/lib/nixfleet-agent", env.GetProperty("NIXFLEET_STATE_DIR").GetString());
        // The agent in the system path is what NIXFLEET_AGENT_LINK follows from one generation to the next.
        Assert.Equal("/run/current-system/sw/bin/nixfleet-agent", env.GetProperty("NIXFLEET_AGENT_LINK").GetString());
        Assert.Equal(["/nix/store/0000-nixfleet-agent"], Strings(root.GetProperty("config").GetProperty("environment").GetProperty("systemPackages")));
        // Unset options stay unset, so the agent's own defaults apply.
        Assert.False(env.TryGetProperty("NIXFLEET_SSH_KEY", out _));
        Assert.False(env.TryGetProperty("NIXFLEET_THEME_COLOR", out _));
        Assert.False(env.TryGetProperty("NIXFLEET_TOKEN", out _));
    }

    [Fact]
    public void NixOS_agent_may_run_exactly_its_three_root_commands_through_sudo()
    {
        var config = Eval("nix/nixos-agent.nix", Agent).GetProperty("config");
        var rule = Assert.Single(config.GetProperty("security").GetProperty("sudo").GetProperty("extraRules").EnumerateArray());
        Assert.Equal(["nixfleet-agent"], Strings(rule.GetProperty("users")));
        var commands = rule.GetProperty("commands").EnumerateArray().ToList();
        Assert.All(commands, c => Assert.Equal(["NOPASSWD"], Strings(c.GetProperty("options"))));

        // Render the rule as NixOS writes it into sudoers and let sudo's own parser read it back: "#" starts a
        // comment in sudoers, so an unescaped one would silently allow any flake in the repo.
        var sudoers = _dir.File("sudoers");
        File.WriteAllLines(sudoers, commands.Select(c => $"nixfleet-agent ALL=(ALL:ALL) NOPASSWD: {c.GetProperty("command").GetString()}"));
        var parsed = Tool.Run("cvtsudoers", ["-f", "json", sudoers]);
        Assert.True(parsed.ExitCode == 0, parsed.All);
        var allowed = JsonDocument.Parse(parsed.Stdout).RootElement.GetProperty("User_Specs").EnumerateArray()
            .SelectMany(u => u.GetProperty("Cmnd_Specs").EnumerateArray())
            .SelectMany(s => s.GetProperty("Commands").EnumerateArray())
            .Select(c => c.GetProperty("command").GetString()).ToList();
        Assert.Equal([
            "/run/current-system/sw/bin/nixos-rebuild switch --flake /var/lib/nixfleet-agent/repo#hsb0",
            "/run/current-system/sw/bin/nixos-rebuild switch --rollback",
            "/run/current-system/sw/bin/reboot \"\"",
        ], allowed);
    }

    [Fact]
    public void NixOS_agent_as_root_on_an_existing_checkout_needs_no_sudo_rule_nor_user()
    {
        var settings = With(Agent, ("user", "root"), ("repoDir", "/etc/nixos"), ("hostname", "gaming-pc"));
        settings.Remove("repoUrl");
        var config = Eval("nix/nixos-agent.nix", settings).GetProperty("config");
        Assert.False(config.GetProperty("security").GetProperty("sudo").TryGetProperty("extraRules", out var rules)
            && rules.ValueKind == JsonValueKind.Array && rules.GetArrayLength() > 0);
        Assert.False(config.GetProperty("users").GetProperty("users").TryGetProperty("nixfleet-agent", out _));
        var env = config.GetProperty("systemd").GetProperty("services").GetProperty("nixfleet-agent").GetProperty("environment");
        Assert.Equal("/etc/nixos", env.GetProperty("NIXFLEET_REPO_DIR").GetString());
        Assert.Equal("gaming-pc", env.GetProperty("NIXFLEET_HOSTNAME").GetString());
    }

    [Fact]
    public void NixOS_agent_without_a_repo_fails_its_assertion_with_a_clear_message()
    {
        var settings = new Dictionary<string, object>(Agent);
        settings.Remove("repoUrl");
        var failed = Strings(Eval("nix/nixos-agent.nix", settings).GetProperty("failedAssertions"));
        Assert.Contains(failed, m => m.Contains("set repoUrl") && m.Contains("repoDir"));
    }

    [Fact]
    public void Home_manager_agent_on_macOS_is_a_launchd_agent_kept_alive_with_logs_in_tmp()
    {
        var config = Eval("nix/home-agent.nix", With(Agent, ("hostname", "mbp"), ("deviceType", "laptop")), darwin: true)
            .GetProperty("config");
        Assert.False(config.TryGetProperty("systemd", out _));
        var agent = config.GetProperty("launchd").GetProperty("agents").GetProperty("nixfleet-agent");
        Assert.True(agent.GetProperty("enable").GetBoolean());
        var plist = agent.GetProperty("config");
        Assert.True(plist.GetProperty("RunAtLoad").GetBoolean());
        Assert.True(plist.GetProperty("KeepAlive").GetBoolean());
        Assert.Equal("/tmp/nixfleet-agent.log", plist.GetProperty("StandardOutPath").GetString());
        Assert.Equal("/tmp/nixfleet-agent.err", plist.GetProperty("StandardErrorPath").GetString());
        var env = plist.GetProperty("EnvironmentVariables");
        Assert.Equal("/run/agenix/nixfleet-token", env.GetProperty("NIXFLEET_TOKEN_FILE").GetString());
        Assert.Equal("laptop", env.GetProperty("NIXFLEET_DEVICE_TYPE").GetString());
        Assert.Equal("mbp", env.GetProperty("NIXFLEET_HOSTNAME").GetString());
        Assert.Contains("/usr/bin", env.GetProperty("PATH").GetString()!.Split(':'));
        Assert.Equal("/etc/profiles/per-user/me/bin/nixfleet-agent", env.GetProperty("NIXFLEET_AGENT_LINK").GetString());
        Assert.Equal(["/nix/store/0000-nixfleet-agent"], Strings(config.GetProperty("home").GetProperty("packages")));
    }

    [Fact]
    public void Home_manager_agent_on_linux_is_a_systemd_user_service_a_switch_does_not_restart()
    {
        var config = Eval("nix/home-agent.nix", Agent, darwin: false).GetProperty("config");
        Assert.False(config.TryGetProperty("launchd", out _));
        var unit = config.GetProperty("systemd").GetProperty("user").GetProperty("services").GetProperty("nixfleet-agent");
        Assert.False(unit.GetProperty("Unit").GetProperty("X-RestartIfChanged").GetBoolean());
        Assert.Equal("always", unit.GetProperty("Service").GetProperty("Restart").GetString());
        Assert.Equal(["default.target"], Strings(unit.GetProperty("Install").GetProperty("WantedBy")));
        var env = Strings(unit.GetProperty("Service").GetProperty("Environment"));
        Assert.Contains("NIXFLEET_TOKEN_FILE=/run/agenix/nixfleet-token", env);
        Assert.Contains("NIXFLEET_STATE_DIR=/home/me/.local/state/nixfleet-agent", env);
        Assert.Contains("NIXFLEET_AGENT_LINK=/etc/profiles/per-user/me/bin/nixfleet-agent", env);
        // No hostname set: the agent registers under the machine's own name.
        Assert.DoesNotContain(env, e => e.StartsWith("NIXFLEET_HOSTNAME=", StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboard_module_runs_the_service_on_its_port_with_the_env_file_and_opens_the_firewall_on_request()
    {
        var config = Eval("nix/nixos-dashboard.nix", new Dictionary<string, object>
        {
            ["enable"] = true,
            ["listenAddress"] = "::",
            ["port"] = 8443,
            ["openFirewall"] = true,
            ["environmentFile"] = "/run/secrets/nixfleet.env",
        }).GetProperty("config");
        var unit = config.GetProperty("systemd").GetProperty("services").GetProperty("nixfleet-dashboard");
        Assert.Equal("[::]:8443", unit.GetProperty("environment").GetProperty("NIXFLEET_LISTEN").GetString());
        Assert.Equal("/var/lib/nixfleet", unit.GetProperty("environment").GetProperty("NIXFLEET_DATA_DIR").GetString());
        Assert.Equal(["/run/secrets/nixfleet.env"], Strings(unit.GetProperty("serviceConfig").GetProperty("EnvironmentFile")));
        Assert.EndsWith("/bin/nixfleet-dashboard", unit.GetProperty("serviceConfig").GetProperty("ExecStart").GetString());
        Assert.Equal([8443], config.GetProperty("networking").GetProperty("firewall").GetProperty("allowedTCPPorts")
            .EnumerateArray().Select(p => p.GetInt32()));
        Assert.Contains("d /var/lib/nixfleet 0700 nixfleet nixfleet - -", Strings(config.GetProperty("systemd").GetProperty("tmpfiles").GetProperty("rules")));

        var closed = Eval("nix/nixos-dashboard.nix", new Dictionary<string, object> { ["enable"] = true }).GetProperty("config");
        Assert.False(closed.GetProperty("networking").GetProperty("firewall").TryGetProperty("allowedTCPPorts", out var ports)
            && ports.ValueKind == JsonValueKind.Array);
        Assert.Equal("127.0.0.1:8000", closed.GetProperty("systemd").GetProperty("services").GetProperty("nixfleet-dashboard")
            .GetProperty("environment").GetProperty("NIXFLEET_LISTEN").GetString());
    }

    public void Dispose() => _dir.Dispose();
}
