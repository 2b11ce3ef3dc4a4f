using NixFleet.Agent.Connection;
using NixFleet.Agent.Processes;
using NixFleet.Protocol;

namespace NixFleet.Agent.Commands;

/// <summary>Turns command events into wire frames in the outbox, so they reach the dashboard in order, across reconnects.</summary>
internal sealed class Reporter(Outbox outbox)
{
    private static readonly ProtocolJsonContext Json = ProtocolJsonContext.Default;

    public void Output(CommandContext ctx, OutputLine line)
    {
        var stream = line.IsStderr ? "stderr" : "stdout";
        var payload = new OutputPayload(line.Text, stream, ctx.Command, line.IsStderr, ctx.CommandId, line.Seq);
        outbox.AddOutput(ctx.CommandId, ctx.Command, line.Seq, Envelope.Serialize(MessageTypes.Output, payload, Json.OutputPayload));
    }

    public void Status(string command, string? commandId, Outcome outcome, string generation) =>
        outbox.Add(Envelope.Serialize(MessageTypes.Status,
            new StatusPayload(outcome.Status, command, outcome.ExitCode, outcome.Message, generation, commandId), Json.StatusPayload));

    public void Complete(string command, string? commandId, int exitCode, UpdateStatus fresh) =>
        outbox.Add(Envelope.Serialize(MessageTypes.CommandComplete,
            new CommandCompletePayload(command, exitCode, fresh, commandId), Json.CommandCompletePayload));

    public void Rejected(string reason, string? currentCommand, int? currentPid, string? commandId) =>
        outbox.Add(Envelope.Serialize(MessageTypes.CommandRejected,
            new CommandRejectedPayload(reason, currentCommand, currentPid, commandId), Json.CommandRejectedPayload));

    public void TestProgress(TestProgressPayload p) =>
        outbox.Add(Envelope.Serialize(MessageTypes.TestProgress, p, Json.TestProgressPayload));

    public void Progress(OperationProgress p) =>
        outbox.Add(Envelope.Serialize(MessageTypes.OperationProgress, new OperationProgressPayload(p), Json.OperationProgressPayload));
}
