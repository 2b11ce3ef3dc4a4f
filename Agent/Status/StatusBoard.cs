using System.Text.Json;
using NixFleet.Protocol;

namespace NixFleet.Agent.Status;

/// <summary>The four status compartments (git, lock, system, tests), kept in the state dir across restarts.</summary>
internal sealed class StatusBoard
{
    private readonly string _file;
    private readonly Lock _lock = new();
    private UpdateStatus _current;

    public StatusBoard(string stateDir)
    {
        _file = Path.Combine(stateDir, "status.json");
        _current = Load(_file) ?? new UpdateStatus(Unknown("not checked yet"), Unknown("not checked yet"), Unknown("not checked yet"), Unknown("no test run yet"));
    }

    public static CheckStatus Unknown(string message) => new("unknown", message, null);
    public static CheckStatus Make(string status, string message) => new(status, message, DateTimeOffset.UtcNow);

    public UpdateStatus Current { get { lock (_lock) return _current; } }

    public void Set(Func<UpdateStatus, UpdateStatus> change)
    {
        lock (_lock)
        {
            _current = change(_current);
            try
            {
                var tmp = _file + ".tmp";
                File.WriteAllText(tmp, JsonSerializer.Serialize(_current, AgentStateJson.Default.UpdateStatus));
                File.Move(tmp, _file, overwrite: true);
            }
            catch (IOException ex) { Log.Warn("cannot save status: " + ex.Message); }
        }
    }

    private static UpdateStatus? Load(string file)
    {
        try { return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllText(file), AgentStateJson.Default.UpdateStatus) : null; }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            Log.Warn($"ignoring unreadable {file}: {ex.Message}");
            return null;
        }
    }
}
