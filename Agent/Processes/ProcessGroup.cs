namespace NixFleet.Agent.Processes;

/// <summary>Ends a whole process group: TERM, then KILL to whatever is left after a grace period.</summary>
internal static class ProcessGroup
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    public static async Task EndAsync(int pgid, bool killAtOnce)
    {
        if (pgid <= 1) return;
        if (!killAtOnce)
        {
            Native.SignalGroup(pgid, Native.SIGTERM);
            var deadline = DateTime.UtcNow + Grace;
            while (DateTime.UtcNow < deadline && HasLiveMember(pgid)) await Task.Delay(100);
        }
        Native.SignalGroup(pgid, Native.SIGKILL);
    }

    /// <summary>True while any member of the group is alive (zombies waiting to be reaped do not count).</summary>
    public static bool HasLiveMember(int pgid)
    {
        if (!Native.Exists(-pgid)) return false;
        if (!Directory.Exists("/proc")) return true;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 2 && fields[2] == pgid.ToString(System.Globalization.CultureInfo.InvariantCulture) && fields[0] != "Z")
                    return true;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return false;
    }
}
