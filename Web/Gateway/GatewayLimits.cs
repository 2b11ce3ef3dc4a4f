namespace NixFleet.Web.Gateway;

/// <summary>The gateway's fixed limits (PROTOCOL.md) and tuning.</summary>
internal static class GatewayLimits
{
    public const int MaxFrameBytes = 1024 * 1024;
    public const int InitialReceiveBuffer = 2048;
    public const int BadFramesBeforeClose = 3;
    public const int SendQueueFrames = 128;
    public const int OutputBatchLines = 2000;
    public static readonly TimeSpan OutputFlushDelay = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MinSilence = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(3);
    // The dashboard pings too (PROTOCOL.md), but rarely: agents ping every 10 s and heartbeat every 5 s, and a socket
    // silent for 15 s is closed by the sweeper anyway. At 10,000 agents a 10 s ping was 2,000 more frames a second.
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PongTimeout = TimeSpan.FromSeconds(20);
}
