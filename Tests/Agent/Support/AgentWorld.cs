using System.Diagnostics;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Agent.Support;

/// <summary>
/// Everything around one agent under test: a bare git origin with a config repo, the host's checkout,
/// a state dir, the fake host tools, and the environment that points the agent at a dashboard.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentWorld : IDisposable
{
    public const string Hostname = "testhost";
    private readonly TempDir _dir = new();

    public string Root => _dir.Path;
    public string Origin => _dir.File("origin.git");
    public string Work => _dir.File("work");
    public string RepoDir => _dir.File("host-repo");
    public string StateDir => _dir.File("state");
    public string Bin => _dir.File("bin");
    public string FakeLog => _dir.File("fake.log");

    public AgentWorld(bool cloneForHost = true)
    {
        FakeHostTools.WriteTo(Bin);
        Git(Root, "init", "--quiet", "--bare", "--initial-branch=main", Origin);
        Git(Root, "clone", "--quiet", Origin, Work);
        Commit("initial config", new()
        {
            ["flake.lock"] = "{\"nodes\":{\"nixpkgs\":{\"locked\":{\"lastModified\":" + DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds() + "}}},\"version\":7}",
            ["flake.nix"] = "{ outputs = _: { }; }",
        });
        if (cloneForHost) Git(Root, "clone", "--quiet", Origin, RepoDir);
    }

    /// <summary>Commits files in the work clone and pushes to origin; returns the 7-char commit.</summary>
    public string Commit(string message, Dictionary<string, string> files, params string[] executables)
    {
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(Work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text.Replace("\r", ""));
            if (executables.Contains(path)) File.SetUnixFileMode(full, (UnixFileMode)Convert.ToInt32("755", 8));
        }
        Git(Work, "add", "-A");
        Git(Work, "commit", "--quiet", "-m", message);
        Git(Work, "push", "--quiet", "origin", "HEAD:main");
        return Git(Work, "rev-parse", "--short=7", "HEAD");
    }

    public Dictionary<string, string?> Env(FakeDashboard dash, Dictionary<string, string?>? extra = null) => Env(dash.Url, dash.Token, extra);

    /// <summary>The agent's environment pointing at any dashboard (the fake one or the real gateway's /ws).</summary>
    public Dictionary<string, string?> Env(string url, string token, Dictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["NIXFLEET_URL"] = url,
            ["NIXFLEET_TOKEN"] = token,
            ["NIXFLEET_HOSTNAME"] = Hostname,
            ["NIXFLEET_REPO_DIR"] = RepoDir,
            ["NIXFLEET_STATE_DIR"] = StateDir,
            ["NIXFLEET_INTERVAL"] = "1",
            ["NIXFLEET_RECONNECT_MAX"] = "1", // a restarted dashboard is found within a second or two
            ["NIXFLEET_LOG_LEVEL"] = "debug",
            ["NIXFLEET_NIXPKGS_VERSION"] = "25.05.20261101.abcdef0",
            ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_LOG"] = FakeLog,
            ["HOME"] = Root,
        };
        foreach (var (k, v) in extra ?? []) env[k] = v;
        return env;
    }

    public static string Git(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "NixFleet Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@nixfleet.invalid";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result.Trim();
    }

    /// <summary>Ends any process group a test left behind (recorded by the agent as its command in flight).</summary>
    public void Dispose()
    {
        var inflight = Path.Combine(StateDir, "inflight.json");
        if (File.Exists(inflight))
        {
            var text = File.ReadAllText(inflight);
            var m = System.Text.RegularExpressions.Regex.Match(text, "\"step_pid\":\\s*(\\d+)");
            if (m.Success) Process.Start("kill", ["-s", "KILL", "--", "-" + m.Groups[1].Value])?.WaitForExit();
        }
        _dir.Dispose();
    }
}
