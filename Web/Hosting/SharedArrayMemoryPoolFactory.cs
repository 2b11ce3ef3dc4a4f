using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace NixFleet.Web.Hosting;

/// <summary>
/// Kestrel's socket buffers from the shared array pool instead of its own pool of pinned 4 KB blocks. That pool
/// keeps every block a burst needed and gives back 1 % of them every 10 s: after 10,000 agents reconnect at once it
/// held ~19 MB for minutes, on the pinned heap, which no collection compacts. On Linux a socket call needs its buffer
/// fixed only while the call runs, so plain arrays do; the shared pool keeps a few per core and trims the rest.
/// </summary>
public sealed class SharedArrayMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => MemoryPool<byte>.Shared;
}
