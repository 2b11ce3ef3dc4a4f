using System.Net.WebSockets;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Gateway;

// The grain's way back to this socket. Never blocks: frames are queued, and a socket whose queue is full is dropped.
internal sealed partial class AgentSession : IAgentConnection
{
    public Task SendAsync(AgentInstruction instruction)
    {
        var frame = InstructionFrames.For(instruction, _capabilities, out var skipped);
        if (frame is null) LogSkipped(Hostname, instruction.Kind, skipped!);
        else Send(frame);
        return Task.CompletedTask;
    }

    public Task CloseAsync(int closeCode, string reason)
    {
        _closedByGrain = true;
        RequestClose((WebSocketCloseStatus)closeCode, reason);
        return Task.CompletedTask;
    }

    private void Send(byte[] frame)
    {
        if (_send.TryEnqueue(frame) || Closing) return;
        LogOverflow(Hostname, _remote, GatewayLimits.SendQueueFrames);
        Interlocked.CompareExchange(ref _closingSince, Environment.TickCount64, 0);
        _socket.Abort();
    }
}
