using NixFleet.Agent.Commands;
using NixFleet.Agent.Configuration;
using NixFleet.Agent.Connection;
using NixFleet.Agent.Facts;
using NixFleet.Agent.Processes;
using NixFleet.Agent.Repo;
using NixFleet.Agent.Status;
using NixFleet.Protocol;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Agent;

/// <summary>The agent's pure parts: macOS command construction, backoff, the bounded outbox, settings, parsers.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentUnitTests
{
    [Fact]
    public void MacOS_commands_use_home_manager_and_shutdown()
    {
        Assert.Equal(["home-manager", "switch", "--flake", "/repo#mac1"], HostCommands.Switch(HostKind.MacOS, "/repo", "mac1"));
        Assert.Equal(["sudo", "shutdown", "-r", "now"], HostCommands.Reboot(HostKind.MacOS));
        Assert.Equal(["home-manager", "generations"], HostCommands.ListHomeGenerations());
        Assert.Equal(["/nix/store/abc-home-manager-generation/activate"], HostCommands.ActivateHomeGeneration("/nix/store/abc-home-manager-generation"));
        Assert.Equal(["nix", "eval", "--raw", "/repo#homeConfigurations.mac1.activationPackage.outPath"], HostCommands.EvalSystem(HostKind.MacOS, "/repo", "mac1"));
        Assert.Equal("/Users/me/.local/state/nix/profiles/home-manager", HostCommands.ActiveSystemLink(HostKind.MacOS, "/Users/me"));
    }

    [Fact]
    public void A_new_agent_binary_is_told_by_nix_package_or_else_by_sha256()
    {
        const string running = "/nix/store/aaa-nixfleet-agent-1.0/lib/nixfleet-agent/nixfleet-agent";
        const string link = "/run/current-system/sw/bin/nixfleet-agent";
        // Same package: its bin/ wrapper differs in bytes from the program under lib/, yet nothing is new.
        Assert.Null(AgentReplacement.Decide(running, "11", true, link, "/nix/store/aaa-nixfleet-agent-1.0/bin/nixfleet-agent", "22"));
        Assert.Contains("/nix/store/bbb-nixfleet-agent-1.1",
            AgentReplacement.Decide(running, "11", true, link, "/nix/store/bbb-nixfleet-agent-1.1/bin/nixfleet-agent", "11"));
        var h1 = new string('1', 64);
        var h2 = new string('2', 64);
        Assert.Null(AgentReplacement.Decide("/opt/agent", h1, true, "/usr/local/bin/agent", "/opt/agent", h1));
        Assert.Contains("SHA-256", AgentReplacement.Decide("/opt/agent", h1, true, "/usr/local/bin/agent", "/opt/agent-2", h2));
        Assert.Contains("gone", AgentReplacement.Decide("/opt/agent", null, false, "/usr/local/bin/agent", "/opt/agent-2", h2));
        // An unreadable next binary is no evidence of a new one.
        Assert.Null(AgentReplacement.Decide("/opt/agent", h1, true, "/usr/local/bin/agent", "/opt/agent-2", null));
    }

    [Fact]
    public void Real_path_resolves_links_through_directories_as_a_nix_profile_chains_them()
    {
        using var dir = new TempDir();
        var store = Directory.CreateDirectory(dir.File("store/abc-agent/bin")).FullName;
        File.WriteAllText(Path.Combine(store, "nixfleet-agent"), "agent");
        Directory.CreateDirectory(dir.File("system"));
        Directory.CreateSymbolicLink(dir.File("system/sw"), "../store/abc-agent"); // relative, to a directory
        Directory.CreateSymbolicLink(dir.File("current"), dir.File("system"));    // absolute, to a directory
        Assert.Equal(Path.Combine(store, "nixfleet-agent"), RealPath.Of(dir.File("current/sw/bin/nixfleet-agent")));

        File.CreateSymbolicLink(dir.File("loop"), dir.File("loop"));
        Assert.Throws<IOException>(() => RealPath.Of(dir.File("loop")));
    }

    [Fact]
    public void NixOS_commands_use_sudo_nixos_rebuild()
    {
        Assert.Equal(["sudo", "nixos-rebuild", "switch", "--flake", "/repo#web1"], HostCommands.Switch(HostKind.NixOS, "/repo", "web1"));
        Assert.Equal(["sudo", "nixos-rebuild", "switch", "--rollback"], HostCommands.RollbackNixOS());
        Assert.Equal(["sudo", "reboot"], HostCommands.Reboot(HostKind.NixOS));
        Assert.Equal(["nix", "flake", "update"], HostCommands.FlakeUpdate());
    }

    [Fact]
    public void Previous_home_manager_generation_is_the_second_newest()
    {
        const string output = """
            2026-11-20 10:00 : id 42 -> /nix/store/ccc-home-manager-generation (current)
            2026-11-19 09:00 : id 41 -> /nix/store/bbb-home-manager-generation
            2026-11-01 08:00 : id 40 -> /nix/store/aaa-home-manager-generation
            """;
        Assert.Equal("/nix/store/bbb-home-manager-generation", HostCommands.PreviousHomeGeneration(output.Replace(" (current)", "")));
        Assert.Null(HostCommands.PreviousHomeGeneration("2026-11-20 10:00 : id 42 -> /nix/store/ccc-home-manager-generation\n"));
        Assert.Null(HostCommands.PreviousHomeGeneration(""));
    }

    [Fact]
    public void Backoff_doubles_to_sixty_seconds_with_jitter_and_resets()
    {
        var b = new Backoff(new Random(7));
        var delays = Enumerable.Range(0, 9).Select(_ => b.Next().TotalSeconds).ToList();
        double[] bases = [1, 2, 4, 8, 16, 32, 60, 60, 60];
        for (var i = 0; i < bases.Length; i++) Assert.InRange(delays[i], bases[i], bases[i] * 1.5);
        Assert.True(delays.Zip(bases).Any(p => p.First > p.Second), "jitter must add something");
        b.Reset();
        Assert.InRange(b.Next().TotalSeconds, 1, 1.5);
    }

    [Fact]
    public void Backoff_stops_doubling_at_the_configured_maximum()
    {
        var b = new Backoff(new Random(3), TimeSpan.FromSeconds(2));
        double[] bases = [1, 2, 2, 2];
        foreach (var expected in bases) Assert.InRange(b.Next().TotalSeconds, expected, expected * 1.5);
    }

    private static byte[] Line(string id, long seq) =>
        Envelope.Serialize(MessageTypes.Output, new OutputPayload("l" + seq, "stdout", "switch", false, id, seq), ProtocolJsonContext.Default.OutputPayload);

    private static List<byte[]> Drain(Outbox o)
    {
        var sent = new List<byte[]>();
        while (o.Peek() is { } next) { sent.Add(next.Frame); o.Sent(next.Token); }
        return sent;
    }

    private static string Text(byte[] b) => System.Text.Encoding.UTF8.GetString(b);

    [Fact]
    public void Outbox_keeps_output_until_acked_and_resends_it_after_reconnect()
    {
        var o = new Outbox(100);
        for (var i = 1; i <= 5; i++) o.AddOutput("c1", "switch", i, Line("c1", i));
        o.Add(Envelope.Serialize(MessageTypes.Status, new StatusPayload("ok", "switch", 0, "", "abc", "c1"), ProtocolJsonContext.Default.StatusPayload));
        Assert.Equal(6, Drain(o).Count);
        Assert.Empty(Drain(o));

        o.Ack("c1", 3);
        o.Ack("other", 5);
        o.MarkAllUnsent();
        var again = Drain(o).Select(Text).ToList();
        Assert.Equal(2, again.Count);                  // seq 4 and 5; the status went out already
        Assert.Contains("\"seq\":4", again[0]);
        Assert.Contains("\"seq\":5", again[1]);
        o.Ack("c1", 5);
        Assert.Equal(0, o.PendingOutputs);
    }

    [Fact]
    public void Outbox_keeps_frames_in_order_and_a_reconnect_discards_unsent_heartbeats_but_not_a_status()
    {
        var o = new Outbox(100);
        var beat = Envelope.Serialize(MessageTypes.Heartbeat, new HeartbeatPayload("abc", null, null, null, null, null, null, null, null, null),
            ProtocolJsonContext.Default.HeartbeatPayload);
        o.AddSnapshot(beat);
        o.AddOutput("c1", "switch", 1, Line("c1", 1));
        o.Add(Envelope.Serialize(MessageTypes.Status, new StatusPayload("ok", "switch", 0, "", "abc", "c1"), ProtocolJsonContext.Default.StatusPayload));
        o.AddSnapshot(beat);

        o.MarkAllUnsent(); // the connection died before any of it was sent
        var sent = Drain(o).Select(Text).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Contains("\"type\":\"output\"", sent[0]);
        Assert.Contains("\"type\":\"status\"", sent[1]);

        o.AddSnapshot(beat);
        Assert.Contains("\"type\":\"heartbeat\"", Text(Assert.Single(Drain(o))));
    }

    [Fact]
    public void Outbox_bound_drops_oldest_unsent_lines_and_announces_the_count_once()
    {
        var o = new Outbox(100);
        for (var i = 1; i <= 130; i++) o.AddOutput("c1", "switch", i, Line("c1", i));
        Assert.Equal(100, o.PendingOutputs);
        var sent = Drain(o).Select(Text).ToList();
        Assert.Equal(101, sent.Count);
        Assert.Contains("30 output lines dropped", sent[0]);
        Assert.Contains("\"seq\":30", sent[0]);
        Assert.Contains("\"is_error\":true", sent[0]);
        Assert.Contains("\"seq\":31", sent[1]);
        Assert.Contains("\"seq\":130", sent[^1]);

        // Lines already sent (but not acked) that leave the buffer are not "dropped".
        for (var i = 131; i <= 150; i++) o.AddOutput("c1", "switch", i, Line("c1", i));
        var more = Drain(o).Select(Text).ToList();
        Assert.Equal(20, more.Count);
        Assert.DoesNotContain(more, l => l.Contains("dropped"));
    }

    [Fact]
    public void Output_tail_numbers_complete_lines_and_waits_for_partial_ones()
    {
        using var dir = new TempDir();
        var file = dir.File("c.out");
        var tail = new OutputTail(file);
        Assert.Empty(tail.ReadNew());
        OutputFile.Append(file, "one", false);
        OutputFile.Append(file, "two", true);
        File.AppendAllText(file, "o thr");
        var first = tail.ReadNew();
        Assert.Equal([new OutputLine(1, "one", false), new OutputLine(2, "two", true)], first);
        File.AppendAllText(file, "ee ünïcode\n");
        Assert.Equal([new OutputLine(3, "three ünïcode", false)], tail.ReadNew());
        Assert.Empty(tail.ReadNew());
    }

    private static Dictionary<string, string> Env(params (string, string)[] extra)
    {
        var env = new Dictionary<string, string> { ["NIXFLEET_URL"] = "fleet.example.com", ["NIXFLEET_TOKEN"] = "t", ["NIXFLEET_REPO_DIR"] = "/etc/nixos", ["HOME"] = "/home/u" };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    [Fact]
    public void Settings_defaults_and_url_forms()
    {
        var s = AgentSettingsLoader.Load(Env(), HostKind.MacOS);
        Assert.Equal(new Uri("wss://fleet.example.com/ws"), s.Url);
        Assert.Equal("#bb9af7", s.ThemeColor);
        Assert.Equal("desktop", s.DeviceType);
        Assert.Equal("main", s.Branch);
        Assert.Equal(30, s.IntervalSeconds);
        Assert.False(s.IsolatedRepo);
        Assert.Equal("#7aa2f7", AgentSettingsLoader.Load(Env(), HostKind.NixOS).ThemeColor);
        Assert.Equal(new Uri("ws://127.0.0.1:8000/ws"), AgentSettingsLoader.ParseUrl("http://127.0.0.1:8000"));
        Assert.Equal(new Uri("wss://x.example/fleet/ws"), AgentSettingsLoader.ParseUrl("https://x.example/fleet/ws"));
        Assert.Null(AgentSettingsLoader.ParseUrl("ftp://x.example"));

        var isolatedEnv = Env(("NIXFLEET_REPO_URL", "git@example.invalid:c.git"), ("NIXFLEET_STATE_DIR", "/var/lib/a"));
        isolatedEnv.Remove("NIXFLEET_REPO_DIR");
        var iso = AgentSettingsLoader.Load(isolatedEnv, HostKind.NixOS);
        Assert.True(iso.IsolatedRepo);
        Assert.Equal("/var/lib/a/repo", iso.RepoDir);
    }

    [Theory]
    [InlineData("NIXFLEET_BRANCH", "main;rm -rf /")]
    [InlineData("NIXFLEET_BRANCH", "a..b")]
    [InlineData("NIXFLEET_HOSTNAME", "../etc")]
    [InlineData("NIXFLEET_DEVICE_TYPE", "toaster")]
    [InlineData("NIXFLEET_LOG_LEVEL", "loud")]
    [InlineData("NIXFLEET_OUTPUT_BUFFER", "5")]
    [InlineData("NIXFLEET_STATE_DIR", "relative/dir")]
    [InlineData("NIXFLEET_SSH_KEY", "/nonexistent/key")]
    public void Hostile_or_invalid_values_name_the_variable(string name, string value)
    {
        var ex = Assert.Throws<ConfigException>(() => AgentSettingsLoader.Load(Env((name, value)), HostKind.NixOS));
        Assert.StartsWith(name, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Ssh_key_is_used_with_host_key_checking_kept()
    {
        var cmd = GitEnvironment.SshCommand("/run/keys/it's", "/root");
        Assert.Contains("-i '/run/keys/it'\\''s'", cmd);
        Assert.Contains("StrictHostKeyChecking=yes", cmd);
        Assert.Contains("UserKnownHostsFile='/root/.ssh/known_hosts'", cmd);
        Assert.DoesNotContain("StrictHostKeyChecking=no", cmd);
        Assert.DoesNotContain("/dev/null", cmd);
    }

    [Fact]
    public void Lock_check_hashes_flake_lock_and_ages_nixpkgs()
    {
        using var dir = new TempDir();
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("unknown", LockCheck.Check(dir.Path, now).Status.Status);
        File.WriteAllText(dir.File("flake.lock"), $"{{\"nodes\":{{\"nixpkgs\":{{\"locked\":{{\"lastModified\":{now.AddDays(-45).ToUnixTimeSeconds()}}}}}}}}}");
        var (hash, status) = LockCheck.Check(dir.Path, now);
        Assert.Equal(64, hash!.Length);
        Assert.Equal("outdated", status.Status);
        Assert.Contains("45 days", status.Message);
        File.WriteAllText(dir.File("flake.lock"), "{ not json");
        Assert.Equal("ok", LockCheck.Check(dir.Path, now).Status.Status);
    }

    [Fact]
    public void Head_is_read_from_loose_and_packed_refs_like_git_does()
    {
        using var dir = new TempDir();
        var git = Path.Combine(dir.Path, ".git");
        Directory.CreateDirectory(Path.Combine(git, "refs", "heads"));
        const string a = "0123456789abcdef0123456789abcdef01234567", b = "89abcdef0123456789abcdef0123456789abcdef";
        File.WriteAllText(Path.Combine(git, "HEAD"), "ref: refs/heads/main\n");
        File.WriteAllText(Path.Combine(git, "packed-refs"), $"# pack-refs with: peeled fully-peeled sorted\n{a} refs/heads/main\n");
        Assert.Equal(a, GitHeadFile.Read(dir.Path));
        File.WriteAllText(Path.Combine(git, "refs", "heads", "main"), b + "\n");
        Assert.Equal(b, GitHeadFile.Read(dir.Path));
        File.WriteAllText(Path.Combine(git, "HEAD"), a + "\n");
        Assert.Equal(a, GitHeadFile.Read(dir.Path));
        File.WriteAllText(Path.Combine(git, "HEAD"), "ref: ../../etc/passwd\n");
        Assert.Null(GitHeadFile.Read(dir.Path));
    }

    [Fact]
    public void Os_release_and_store_path_facts()
    {
        Assert.Equal("NixOS 25.05 (Warbler)", HostFacts.ParseOsRelease("NAME=NixOS\nVERSION_ID=\"25.05\"\nPRETTY_NAME=\"NixOS 25.05 (Warbler)\"\n"));
        Assert.Equal("Debian 13", HostFacts.ParseOsRelease("NAME=Debian\nVERSION_ID=13\n"));
        Assert.Equal("/nix/store/abc-nixfleet-agent-0.1.0", BinaryFacts.StorePathOf("/nix/store/abc-nixfleet-agent-0.1.0/bin/nixfleet-agent"));
        Assert.Null(BinaryFacts.StorePathOf("/usr/local/bin/nixfleet-agent"));
    }
}
