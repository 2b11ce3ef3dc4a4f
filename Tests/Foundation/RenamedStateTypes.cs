// Two shapes of the same stored state under different type names, namespaces apart.
namespace NixFleet.Tests.Foundation.Before
{
    public sealed class ProbeStateV1
    {
        public string? Hostname { get; set; }
        public string? Generation { get; set; }
        public List<CheckV1> Checks { get; set; } = [];
    }

    public sealed record CheckV1(string Name, string Status);
}

namespace NixFleet.Tests.Foundation.After
{
    public sealed class RenamedProbeState
    {
        public string? Hostname { get; set; }
        public string? Generation { get; set; }
        public List<RenamedCheck> Checks { get; set; } = [];
    }

    public sealed record RenamedCheck(string Name, string Status);
}
