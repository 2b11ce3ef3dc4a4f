using System.Runtime.InteropServices;

namespace NixFleet.Agent.Processes;

/// <summary>The few libc calls .NET does not offer: sessions, process groups, signals to a group.</summary>
internal static partial class Native
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    private const int ESRCH = 3;

    static Native() => NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);

    // "libc" alone resolves to a linker script on some Linux systems: name the real library.
    private static IntPtr Resolve(string name, System.Reflection.Assembly assembly, DllImportSearchPath? path)
    {
        if (name != "libc") return IntPtr.Zero;
        var real = OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.B.dylib" : "libc.so.6";
        return NativeLibrary.TryLoad(real, out var handle) ? handle : IntPtr.Zero;
    }

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSidNative();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    private static partial int GetPgidNative(int pid);

    /// <summary>Makes the calling process the leader of a new session and process group.</summary>
    public static int SetSid() => SetSidNative();

    public static int GetPgid(int pid) => GetPgidNative(pid);

    /// <summary>Signals every member of process group <paramref name="pgid"/>; false when none is left.</summary>
    public static bool SignalGroup(int pgid, int signal) => pgid > 1 && KillNative(-pgid, signal) == 0;

    /// <summary>True while a process (or, with a negative id, a group) exists.</summary>
    public static bool Exists(int pid)
    {
        if (pid == 0 || pid == 1 || pid == -1) return false;
        return KillNative(pid, 0) == 0 || Marshal.GetLastPInvokeError() != ESRCH;
    }
}
