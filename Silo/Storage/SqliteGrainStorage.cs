using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace NixFleet.Silo.Storage;

/// <summary>
/// Grain state in the SQLite file: reads straight from the file (WAL lets them run beside the writer), writes
/// and clears through the <see cref="GrainStateWriter"/>'s group commit. The version stored with each state is
/// its ETag, so a write from a stale activation fails with <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage, IAsyncDisposable
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly string _readConnectionString;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly GrainStateWriter _writer;

    public SqliteGrainStorage(string name, string serviceId, string connectionString, IGrainStorageSerializer serializer,
        IActivatorProvider activators, SqliteWriteGate gate, ILogger<SqliteGrainStorage> logger)
    {
        _activators = activators;
        _name = name;
        _serviceId = serviceId;
        // Reads only, from a pool of their own: connections of the other stores map the file (SqliteDatabase), and a
        // grain read on one of those would keep every host's pages mapped.
        _readConnectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString();
        _serializer = serializer;
        _writer = new GrainStateWriter(connectionString, gate, logger);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainStateKey.For(_serviceId, stateName, grainId);
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        // A grain reads its row once, when it activates: a pooled connection's page cache (2 MB by default) would
        // only hold pages no one reads again, and a fleet coming online fills one per connection in the pool.
        cmd.CommandText = GrainStateSql.SmallCache;
        await cmd.ExecuteNonQueryAsync();
        cmd.CommandText = GrainStateSql.Read;
        Bind(cmd, key);
        await using var row = await cmd.ExecuteReaderAsync();
        if (!await row.ReadAsync())
        {
            grainState.State = New<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = row.IsDBNull(0)
            ? New<T>()
            : _serializer.Deserialize<T>(new BinaryData((byte[])row.GetValue(0)));
        grainState.ETag = row.GetInt32(1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = Bytes(_serializer.Serialize(grainState.State));
        var version = await ChangeAsync("write", stateName, grainId, grainState.ETag, payload);
        grainState.ETag = Tag(version);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var version = await ChangeAsync("clear", stateName, grainId, grainState.ETag, null);
        grainState.ETag = Tag(version);
        grainState.RecordExists = false;
        grainState.State = New<T>();
    }

    private async Task<int?> ChangeAsync(string operation, string stateName, GrainId grainId, string? etag, byte[]? payload)
    {
        var key = GrainStateKey.For(_serviceId, stateName, grainId);
        int? expected = etag is null ? null : int.Parse(etag, System.Globalization.CultureInfo.InvariantCulture);
        var outcome = await _writer.WriteAsync(new PendingStateWrite(key, payload, expected));
        if (outcome.Conflict)
            throw new InconsistentStateException($"Version conflict ({operation}): store {_name}, grain {grainId}, state {stateName}, ETag {etag ?? "(none)"}.");
        return outcome.Version;
    }

    // The serialized array itself when the data is all of it (JSON is), not a copy: the fleet index is megabytes.
    private static byte[] Bytes(BinaryData data) =>
        MemoryMarshal.TryGetArray(data.ToMemory(), out var a) && a.Offset == 0 && a.Count == a.Array!.Length ? a.Array : data.ToArray();

    private T New<T>() => _activators.GetActivator<T>().Create();

    private static string? Tag(int? version) => version?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Bind(SqliteCommand cmd, GrainStateKey key)
    {
        cmd.Parameters.AddWithValue("$service", key.ServiceId);
        cmd.Parameters.AddWithValue("$type", key.StateName);
        cmd.Parameters.AddWithValue("$n0", key.N0);
        cmd.Parameters.AddWithValue("$n1", key.N1);
        cmd.Parameters.AddWithValue("$key", key.KeyString);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
