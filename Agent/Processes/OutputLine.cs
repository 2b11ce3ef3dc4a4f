namespace NixFleet.Agent.Processes;

/// <summary>One line a command printed, numbered from 1 per command (the wire's <c>seq</c>).</summary>
internal sealed record OutputLine(long Seq, string Text, bool IsStderr);
