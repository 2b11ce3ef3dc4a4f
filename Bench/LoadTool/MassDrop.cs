using System.Globalization;

namespace NixFleet.LoadTool;

/// <summary>
/// <c>--drop-at S</c>: at S seconds every connected agent's socket is aborted at once, as when a network link or
/// a gateway goes away; each agent then reconnects with its own backoff. Empty when the option is not given.
/// </summary>
internal sealed class MassDrop
{
    private readonly CancellationTokenSource _drop = new();

    public double? At { get; }

    public MassDrop(double? at) => At = at;

    public static MassDrop Parse(string[] args)
    {
        var i = Array.IndexOf(args, "--drop-at");
        return new MassDrop(i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Calls <paramref name="abort"/> when the drop happens; nothing once it has happened (reconnected sockets stay).</summary>
    public IDisposable OnDrop(Action abort) =>
        At is null || _drop.IsCancellationRequested ? Nothing.Instance : _drop.Token.Register(abort);

    /// <summary>Runs the drop when its time has come; true the one time it fires.</summary>
    public bool FireIfDue(double elapsed)
    {
        if (At is not { } at || elapsed < at || _drop.IsCancellationRequested) return false;
        _drop.Cancel();
        return true;
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();
        public void Dispose() { }
    }
}
