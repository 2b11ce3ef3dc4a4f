namespace NixFleet.Grains.Commands;

/// <summary>
/// Grains take their clock as the keyed service <see cref="Key"/>, not the plain TimeProvider: Orleans
/// itself runs its timers on the plain one, so tests can replace ours with a fake without freezing Orleans.
/// </summary>
public static class NixFleetClock
{
    public const string Key = "nixfleet";
}
