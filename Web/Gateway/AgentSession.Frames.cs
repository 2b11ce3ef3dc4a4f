using System.Net.WebSockets;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Protocol;

namespace NixFleet.Web.Gateway;

// Frames from the agent, in the order they arrive.
internal sealed partial class AgentSession
{
    private static readonly ProtocolJsonContext Json = ProtocolJsonContext.Default;

    private async Task OnFrameAsync(ReadOnlyMemory<byte> frame)
    {
        if (!RawEnvelope.TryParse(frame, out var envelope, out var error))
        {
            BadFrame(error!);
            return;
        }
        if (_registration is null && envelope.Type != MessageTypes.Register)
        {
            RequestClose(WebSocketCloseStatus.PolicyViolation, $"expected register first, got '{Shorten(envelope.Type)}'");
            return;
        }
        try
        {
            await DispatchAsync(envelope);
        }
        catch (Exception e) when (e is not (WebSocketException or OperationCanceledException))
        {
            // The grain could not be reached (e.g. its silo is going away): the agent reconnects and tries again.
            LogGrainFailed(Hostname, e.Message);
            RequestClose(WebSocketCloseStatus.InternalServerError, "dashboard could not record the message; reconnect");
        }
    }

    private Task DispatchAsync(RawEnvelope e) => e.Type switch
    {
        MessageTypes.Register => e.PayloadAs(Json.RegisterPayload) is { } p ? RegisterAsync(p) : Refuse("register without a payload"),
        MessageTypes.Heartbeat => With(e.PayloadAs(Json.HeartbeatPayload), HeartbeatAsync),
        MessageTypes.Output => With(e.PayloadAs(Json.OutputPayload), OutputAsync),
        MessageTypes.Status => With(e.PayloadAs(Json.StatusPayload),
            p => CallAsync(g => g.CommandStatusAsync(ConnectionId, WireMapping.ToStatus(p)))),
        MessageTypes.CommandRejected => With(e.PayloadAs(Json.CommandRejectedPayload),
            p => CallAsync(g => g.CommandRejectedAsync(ConnectionId, WireMapping.ToRejection(p)))),
        MessageTypes.CommandComplete => With(e.PayloadAs(Json.CommandCompletePayload),
            p => CallAsync(g => g.CommandCompleteAsync(ConnectionId, WireMapping.ToComplete(p)))),
        MessageTypes.OperationProgress => With(e.PayloadAs(Json.OperationProgressPayload),
            p => CallAsync(g => g.ProgressAsync(ConnectionId, WireMapping.ToProgress(p)))),
        MessageTypes.TestProgress => With(e.PayloadAs(Json.TestProgressPayload),
            p => CallAsync(g => g.ProgressAsync(ConnectionId, WireMapping.ToProgress(p)))),
        _ => Unknown(e.Type),
    };

    private async Task RegisterAsync(RegisterPayload p)
    {
        if (!HostNames.IsValid(p.Hostname))
        {
            await Refuse($"invalid hostname '{Shorten(p.Hostname ?? "")}': use letters, digits, '-', '_', '.', 1-63 characters, starting with a letter or digit");
            return;
        }
        var hostname = p.Hostname!;
        if (!HostNames.IsKnownHostType(p.HostType))
        {
            await Refuse($"unknown host_type '{Shorten(p.HostType ?? "")}': expected nixos or macos");
            return;
        }
        if (_registration is { } current && current.Hostname != hostname)
        {
            await Refuse($"this connection is registered as '{current.Hostname}'");
            return;
        }
        if (_credential.BoundHost is { } bound && bound != hostname)
        {
            await Refuse($"this token is not valid for host '{hostname}'");
            return;
        }
        if (_credential.IsShared && await _ctx.Tokens.HostHasTokenAsync(hostname))
        {
            await Refuse($"host '{hostname}' has its own token; the shared token cannot register it");
            return;
        }

        var registration = WireMapping.ToRegistration(p);
        _capabilities = registration.Capabilities;
        _self ??= _ctx.Grains.CreateObjectReference<IAgentConnection>(this);
        _grain = _ctx.Grains.GetGrain<IHostGrain>(hostname);
        await _gate.WaitAsync();
        try { await _grain.RegisterAsync(registration, ConnectionId, _self); }
        finally { _gate.Release(); }
        _registration = registration;
        ReleaseHeldFrames(InstructionFrames.Registered(hostname));
        LogRegistered(hostname, _remote, _credential.IsShared ? "shared" : "per-host");
    }

    private Task HeartbeatAsync(HeartbeatPayload p) => CallAsync(async g =>
    {
        var beat = WireMapping.ToHeartbeat(p);
        if (await g.HeartbeatAsync(beat, ConnectionId)) return;
        // The grain lost this connection (reactivated elsewhere, or it declared the host offline): register again.
        LogReRegistered(Hostname);
        await g.RegisterAsync(_registration!, ConnectionId, _self!);
        await g.HeartbeatAsync(beat, ConnectionId);
    });

    private async Task OutputAsync(OutputPayload p)
    {
        var (full, armTimer) = _output.Add(WireMapping.ToOutputLine(p, _ctx.Clock.GetUtcNow()));
        if (full) await FlushOutputAsync();
        else if (armTimer) _ = FlushLaterAsync();
    }

    private async Task FlushLaterAsync()
    {
        await Task.Delay(GatewayLimits.OutputFlushDelay);
        try { await FlushOutputAsync(); }
        catch (Exception e)
        {
            LogGrainFailed(Hostname, e.Message);
            RequestClose(WebSocketCloseStatus.InternalServerError, "dashboard could not record output; reconnect");
        }
    }

    private async Task FlushOutputAsync()
    {
        await _gate.WaitAsync();
        try { await SendPendingOutputAsync(); }
        finally { _gate.Release(); }
    }

    // Caller holds the gate.
    private async Task SendPendingOutputAsync()
    {
        if (_grain is null) return;
        var lines = _output.TakeAll();
        if (lines.Count > 0) await _grain.OutputAsync(ConnectionId, lines);
    }

    /// <summary>A grain call after every earlier output line was delivered, so the grain sees the agent's order.</summary>
    private async Task CallAsync(Func<IHostGrain, Task> call)
    {
        await _gate.WaitAsync();
        try
        {
            await SendPendingOutputAsync();
            await call(_grain!);
        }
        finally { _gate.Release(); }
    }

    private Task With<T>(T? payload, Func<T, Task> handle) where T : class
    {
        if (payload is not null) return handle(payload);
        BadFrame("payload missing or of the wrong shape");
        return Task.CompletedTask;
    }

    private Task Unknown(string type)
    {
        LogUnknownType(Hostname, Shorten(type));
        return Task.CompletedTask;
    }

    private Task Refuse(string reason)
    {
        LogRefused(Hostname, _remote, reason);
        RequestClose(WebSocketCloseStatus.PolicyViolation, reason);
        return Task.CompletedTask;
    }

    private void BadFrame(string why)
    {
        var n = ++_badFrames;
        LogBadFrame(Hostname, _remote, n, why);
        if (n >= GatewayLimits.BadFramesBeforeClose)
            RequestClose(WebSocketCloseStatus.InvalidPayloadData, $"{n} frames were not JSON envelopes");
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
