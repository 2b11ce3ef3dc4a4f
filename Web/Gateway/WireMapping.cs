using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Protocol;
using DomainPhase = NixFleet.Grains.Interfaces.Hosts.PhaseProgress;
using WirePhase = NixFleet.Protocol.PhaseProgress;

namespace NixFleet.Web.Gateway;

/// <summary>Wire payloads to domain records. Missing fields get neutral values; nothing here throws on odd input.</summary>
internal static class WireMapping
{
    public const int DefaultHeartbeatSeconds = 5;

    public static HostRegistration ToRegistration(RegisterPayload p) => new(
        p.Hostname!, p.HostType!, p.AgentVersion ?? "", p.OsVersion ?? "", p.NixpkgsVersion ?? "", p.Generation ?? "",
        p.ThemeColor ?? "", p.HeartbeatInterval is > 0 and <= 3600 ? p.HeartbeatInterval.Value : DefaultHeartbeatSeconds,
        p.Location ?? "", p.DeviceType ?? "", p.RepoUrl ?? "", p.RepoDir ?? "",
        new AgentBinary(p.SourceCommit, p.StorePath, p.BinaryHash),
        (p.Capabilities ?? []).Where(c => c is { Length: > 0 and <= 64 }).Distinct().Take(32).ToList());

    public static HostHeartbeat ToHeartbeat(HeartbeatPayload p) => new(
        p.Generation, p.NixpkgsVersion, EmptyToNull(p.PendingCommand), p.CommandPid,
        p.Metrics is { } m ? new HostMetrics(m.Cpu, m.Ram, m.Swap, m.Load) : null,
        ToCompartments(p.UpdateStatus), new AgentBinary(p.SourceCommit, p.StorePath, p.BinaryHash), p.LockHash);

    public static OutputLine ToOutputLine(OutputPayload p, DateTimeOffset now) => new(
        EmptyToNull(p.CommandId), p.Seq, p.Stream is "stderr" ? "stderr" : "stdout", p.Line ?? "", p.IsError ?? false,
        EmptyToNull(p.Command), now);

    public static CommandStatusReport ToStatus(StatusPayload p) => new(
        EmptyToNull(p.CommandId), EmptyToNull(p.Command), p.Status ?? "unknown", p.ExitCode, p.Message, EmptyToNull(p.Generation));

    public static CommandRejection ToRejection(CommandRejectedPayload p) => new(
        EmptyToNull(p.CommandId), p.Reason ?? "", EmptyToNull(p.CurrentCommand), p.CurrentPid);

    public static CommandCompleteReport ToComplete(CommandCompletePayload p) => new(
        EmptyToNull(p.CommandId), EmptyToNull(p.Command), p.ExitCode, ToCompartments(p.FreshStatus));

    public static CommandProgress ToProgress(OperationProgressPayload p)
    {
        var o = p.Progress;
        var tests = o?.Tests is { } t ? new DomainPhase(t.Current ?? 0, t.Total ?? 0, t.Status) : null;
        return new CommandProgress(Phase(o?.Pull), Phase(o?.Lock), Phase(o?.System), tests, null, null, null);
    }

    public static CommandProgress ToProgress(TestProgressPayload p) => new(
        null, null, null, new DomainPhase(p.Current ?? 0, p.Total ?? 0, null), p.Passed, p.Running, p.Result);

    public static StatusCompartments? ToCompartments(UpdateStatus? u) => u is null ? null
        : new StatusCompartments(Check(u.Git), Check(u.Lock), Check(u.System), Check(u.Tests));

    private static Compartment Check(CheckStatus? c) => c is null ? Compartment.Unknown
        : new Compartment(Compartment.KnownStatus(c.Status), c.Message, c.CheckedAt);

    private static DomainPhase? Phase(WirePhase? p) => p is null ? null : new DomainPhase(p.Current ?? 0, p.Total ?? 0, p.Status);

    private static string? EmptyToNull(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
