using NixFleet.Agent.Configuration;
using NixFleet.Agent.Facts;
using NixFleet.Agent.Processes;

namespace NixFleet.Agent.Repo;

/// <summary>The host's config repository: its HEAD, the remote's head, and the steps of a pull.</summary>
internal sealed class ConfigRepo(AgentSettings settings)
{
    public string Dir => settings.RepoDir;
    public IReadOnlyDictionary<string, string> Env { get; } = GitEnvironment.For(settings);

    private Task<ProcessRunner.Result> Git(params string[] args) =>
        ProcessRunner.RunAsync("git", ["-C", Dir, .. args], env: Env, timeout: TimeSpan.FromMinutes(2));

    /// <summary>HEAD as 7 hex chars, or "" when there is no usable checkout.</summary>
    public async Task<string> HeadAsync()
    {
        if (!Directory.Exists(Dir)) return "";
        if (GitHeadFile.Read(Dir) is { } sha) return sha[..7];
        var r = await Git("rev-parse", "--short=7", "HEAD");
        return r.Ok ? r.Stdout.Trim() : "";
    }

    /// <summary>The branch's head on the remote (7 chars), or null with the reason.</summary>
    public async Task<(string? Head, string? Error)> RemoteHeadAsync()
    {
        if (!Directory.Exists(Dir)) return (null, "no checkout at " + Dir);
        var r = await Git("ls-remote", "origin", "refs/heads/" + settings.Branch);
        if (!r.Ok) return (null, FirstLine(r.Stderr));
        var sha = r.Stdout.Split('\t', 2)[0].Trim();
        return sha.Length >= 7 ? (sha[..7], null) : (null, $"branch {settings.Branch} not found on origin");
    }

    /// <summary>True when the directory is a git work tree whose HEAD commit and objects are readable.</summary>
    public async Task<bool> IsHealthyAsync()
    {
        if (!Directory.Exists(Path.Combine(Dir, ".git"))) return false;
        var head = await Git("rev-parse", "--verify", "--quiet", "HEAD^{commit}");
        if (!head.Ok) return false;
        var fsck = await Git("fsck", "--connectivity-only", "--no-progress", "--no-dangling");
        return fsck.Ok;
    }

    /// <summary>Isolated mode: remove whatever is there and prepare an empty, private (0700) directory.</summary>
    public void PrepareFreshClone()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
        var parent = Path.GetDirectoryName(Dir.TrimEnd('/'))!;
        Directory.CreateDirectory(parent);
        Directory.CreateDirectory(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public Step Clone() => GitStep(Path.GetDirectoryName(Dir.TrimEnd('/'))!, "clone", "--branch", settings.Branch, "--", settings.RepoUrl!, Dir);

    public IReadOnlyList<Step> IsolatedPull() =>
    [
        GitStep(Dir, "fetch", "--prune", "origin", $"+refs/heads/{settings.Branch}:refs/remotes/origin/{settings.Branch}"),
        GitStep(Dir, "reset", "--hard", "origin/" + settings.Branch),
        GitStep(Dir, "clean", "-fdx"),
    ];

    public Step SharedPull() => GitStep(Dir, "pull", "--ff-only", "origin", settings.Branch);

    private Step GitStep(string cwd, params string[] args) => new(["git", .. args], cwd, Env);

    private static string FirstLine(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "git failed";
}
