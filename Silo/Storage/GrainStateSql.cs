namespace NixFleet.Silo.Storage;

/// <summary>
/// The statements of <see cref="SqliteGrainStorage"/> on the <c>GrainState</c> table of <see cref="SqliteSchema"/>.
/// Version is the ETag: every change checks the version the grain last saw and returns the new one, or no row
/// when another writer got there first.
/// </summary>
internal static class GrainStateSql
{
    private const string Key = """
        ServiceId = $service AND GrainType = $type AND GrainKeyN0 = $n0 AND GrainKeyN1 = $n1 AND GrainKeyString = $key
        """;

    private const string Now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    public const string Read = $"SELECT Payload, Version FROM GrainState WHERE {Key};";

    // 16 pages (64 KiB): enough for the B-tree's inner pages on the way to a row.
    public const string SmallCache = "PRAGMA cache_size=-64;";

    // First write of a grain that found no row; a row that appeared meanwhile is a conflict.
    public const string Insert = $"""
        INSERT INTO GrainState (ServiceId, GrainType, GrainKeyN0, GrainKeyN1, GrainKeyString, GrainIdHash, Payload, Version, ModifiedUtc)
        VALUES ($service, $type, $n0, $n1, $key, $hash, $payload, 1, {Now})
        ON CONFLICT DO NOTHING
        RETURNING Version;
        """;

    // Later writes, and clears ($payload NULL: the row and its version stay, so a stale activation still conflicts).
    public const string Update = $"""
        UPDATE GrainState SET Payload = $payload, Version = Version + 1, ModifiedUtc = {Now}
        WHERE {Key} AND Version = $version
        RETURNING Version;
        """;

    public const string Exists = $"SELECT 1 FROM GrainState WHERE {Key};";
}
