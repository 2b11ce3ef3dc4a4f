using System.Text.Json;

namespace NixFleet.Agent.Commands;

/// <summary>inflight.json in the state dir: written atomically, removed when the command is reported.</summary>
internal sealed class InFlightStore(string stateDir)
{
    private readonly string _file = Path.Combine(stateDir, "inflight.json");

    public string OutputDir { get; } = Path.Combine(stateDir, "commands");

    public void Save(InFlightRecord record)
    {
        var tmp = _file + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(record, AgentStateJson.Default.InFlightRecord));
        File.Move(tmp, _file, overwrite: true);
    }

    public InFlightRecord? Load()
    {
        try { return File.Exists(_file) ? JsonSerializer.Deserialize(File.ReadAllText(_file), AgentStateJson.Default.InFlightRecord) : null; }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            Log.Warn($"ignoring unreadable {_file}: {ex.Message}");
            return null;
        }
    }

    public void Clear() => File.Delete(_file);

    /// <summary>Keeps the output of the last <paramref name="keep"/> commands.</summary>
    public void Prune(int keep = 20)
    {
        if (!Directory.Exists(OutputDir)) return;
        foreach (var f in new DirectoryInfo(OutputDir).GetFiles().OrderByDescending(f => f.LastWriteTimeUtc).Skip(keep * 2))
            try { f.Delete(); } catch (IOException) { }
    }
}
