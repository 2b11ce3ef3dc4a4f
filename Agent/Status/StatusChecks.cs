using NixFleet.Agent.Commands;
using NixFleet.Agent.Configuration;
using NixFleet.Agent.Facts;
using NixFleet.Agent.Repo;
using NixFleet.Protocol;

namespace NixFleet.Agent.Status;

/// <summary>Re-checks the compartments: git (local vs remote head), lock (flake.lock), system (what would be built vs active).</summary>
internal sealed class StatusChecks(AgentSettings settings, ConfigRepo repo, StatusBoard board)
{
    public string? LockHash { get; private set; }
    public BinaryFacts Binary { get; private set; } = BinaryFacts.Read();

    public async Task RefreshGitAsync()
    {
        var local = await repo.HeadAsync();
        var (remote, error) = await repo.RemoteHeadAsync();
        var status = local.Length == 0 ? StatusBoard.Make("error", "no checkout at " + repo.Dir)
            : remote is null ? StatusBoard.Make("error", error ?? "remote unknown")
            : remote == local ? StatusBoard.Make("ok", "up to date at " + local)
            : StatusBoard.Make("outdated", $"local {local}, remote {remote}");
        board.Set(u => u with { Git = status });
    }

    public void RefreshLock()
    {
        var (hash, status) = LockCheck.Check(repo.Dir, DateTimeOffset.UtcNow);
        LockHash = hash;
        board.Set(u => u with { Lock = status });
    }

    public void RefreshBinary() => Binary = BinaryFacts.Read();

    public async Task<CheckStatus> RefreshSystemAsync()
    {
        var argv = HostCommands.EvalSystem(settings.Kind, repo.Dir, settings.Hostname);
        var r = await ProcessRunner.RunAsync(argv[0], argv.Skip(1), repo.Dir, repo.Env, TimeSpan.FromMinutes(10));
        CheckStatus status;
        if (!r.Ok) status = StatusBoard.Make("error", "nix eval failed: " + r.Stderr.Trim().Split('\n').LastOrDefault());
        else
        {
            var wanted = r.Stdout.Trim();
            var active = Resolve(HostCommands.ActiveSystemLink(settings.Kind, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)));
            status = active is null ? StatusBoard.Make("unknown", "no active system found")
                : active == wanted ? StatusBoard.Make("ok", "active system matches the repo")
                : StatusBoard.Make("outdated", $"repo builds {wanted}, active is {active}");
        }
        board.Set(u => u with { System = status });
        return status;
    }

    private static string? Resolve(string link)
    {
        try { return new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? (Directory.Exists(link) ? link : null); }
        catch (IOException) { return null; }
    }
}
