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
}
