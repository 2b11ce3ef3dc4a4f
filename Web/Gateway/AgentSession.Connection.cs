using System.Net.WebSockets;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Gateway;

// The grain's way back to this socket. Never blocks: frames are queued, and a socket whose queue is full is dropped.
internal sealed partial class AgentSession : IAgentConnection
{
    // Frames the grain sent before `registered` went out; null once it has.
    private readonly object _holdLock = new();
    private List<byte[]>? _held = [];

    public Task SendAsync(AgentInstruction instruction)
    {
        var frame = InstructionFrames.For(instruction, _capabilities, out var skipped);
        if (frame is null)
        {
            LogSkipped(Hostname, instruction.Kind, skipped!);
            return Task.CompletedTask;
        }
        lock (_holdLock)
        {
            // The grain may send while it registers us: the agent must get `registered` first.
            if (_held is not null)
            {
                if (_held.Count < GatewayLimits.SendQueueFrames) _held.Add(frame);
                else Overflow();
                return Task.CompletedTask;
            }
        }
        Send(frame);
        return Task.CompletedTask;
    }

    /// <summary>Sends <c>registered</c>, then what the grain sent meanwhile; from now on frames go out directly.</summary>
    private void ReleaseHeldFrames(byte[] registered)
    {
        lock (_holdLock)
        {
            Send(registered);
            foreach (var f in _held ?? []) Send(f);
            _held = null;
        }
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
        Overflow();
    }

    private void Overflow()
    {
        LogOverflow(Hostname, _remote, GatewayLimits.SendQueueFrames);
        Interlocked.CompareExchange(ref _closingSince, Environment.TickCount64, 0);
        _socket.Abort();
    }
}
