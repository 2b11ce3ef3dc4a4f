using System.Text.Json;

namespace NixFleet.Protocol;

// Payloads sent by agents. Every field is optional on the wire: the Go agent omits some,
// so nothing here is required and unknown fields are ignored.

public sealed record RegisterPayload(
    string? Hostname, string? HostType, string? AgentVersion, string? OsVersion, string? NixpkgsVersion,
    string? Generation, string? ThemeColor, int? HeartbeatInterval, string? Location, string? DeviceType,
    string? RepoUrl, string? RepoDir, string? SourceCommit, string? StorePath, string? BinaryHash,
    IReadOnlyList<string>? Capabilities);

public sealed record Metrics(double Cpu, double Ram, double Swap, double Load);

public sealed record CheckStatus(string? Status, string? Message, DateTimeOffset? CheckedAt);

public sealed record UpdateStatus(CheckStatus? Git, CheckStatus? Lock, CheckStatus? System, CheckStatus? Tests);

public sealed record HeartbeatPayload(
    string? Generation, string? NixpkgsVersion, string? PendingCommand, int? CommandPid, Metrics? Metrics,
    UpdateStatus? UpdateStatus, string? SourceCommit, string? StorePath, string? BinaryHash, string? LockHash);

public sealed record OutputPayload(string? Line, string? Stream, string? Command, bool? IsError, string? CommandId, long? Seq);

public sealed record StatusPayload(string? Status, string? Command, int? ExitCode, string? Message, string? Generation, string? CommandId);

public sealed record CommandRejectedPayload(string? Reason, string? CurrentCommand, int? CurrentPid, string? CommandId);

public sealed record PhaseProgress(int? Current, int? Total, string? Status);

public sealed record TestsPhaseProgress(int? Current, int? Total, IReadOnlyList<JsonElement>? Results, string? Status);

public sealed record OperationProgress(PhaseProgress? Pull, PhaseProgress? Lock, PhaseProgress? System, TestsPhaseProgress? Tests);

public sealed record OperationProgressPayload(OperationProgress? Progress);

public sealed record TestProgressPayload(int? Current, int? Total, int? Passed, string? Running, string? Result);

public sealed record CommandCompletePayload(string? Command, int? ExitCode, UpdateStatus? FreshStatus, string? CommandId);
