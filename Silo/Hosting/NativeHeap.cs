using System.Runtime.InteropServices;

namespace NixFleet.Silo.Hosting;

/// <summary>
/// glibc's malloc settings for a long-running dashboard or silo on Linux. SQLite allocates natively (a copy of
/// every blob it binds, page caches), from whichever thread-pool thread runs the statement: glibc gave those threads
/// arenas of their own, and after one multi-megabyte blob (the fleet index row) raised its dynamic mmap threshold,
/// later large copies came from the arenas and stayed there. At 10,000 agents that was 30-40 MB of resident memory
/// that no one used (docs/BENCHMARKS.md). A fixed threshold returns large blocks at once; two arenas are plenty for
/// the few threads that allocate natively. A setting the operator gave through glibc's own environment variable wins.
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1, MmapThreshold = -3, ArenaMax = -8; // mallopt parameters, malloc.h
    private const int LargeBlock = 128 * 1024;

    /// <summary>Applies the settings; returns the names of those glibc accepted.</summary>
    public static IReadOnlyList<string> Tune(Func<string, string?> env)
    {
        var applied = new List<string>();
        if (!OperatingSystem.IsLinux()) return applied;
        try
        {
            Set("MALLOC_ARENA_MAX", ArenaMax, 2);
            Set("MALLOC_MMAP_THRESHOLD_", MmapThreshold, LargeBlock);
            Set("MALLOC_TRIM_THRESHOLD_", TrimThreshold, LargeBlock);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl without mallopt): its allocator keeps its own defaults.
        }
        return applied;

        void Set(string variable, int parameter, int value)
        {
            if (env(variable) is null && MallOpt(parameter, value) == 1) applied.Add(variable);
        }
    }

    // DllImport, not LibraryImport: the signature is blittable and the project stays free of unsafe code.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
