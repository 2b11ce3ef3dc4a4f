using System.Collections.Concurrent;

namespace NixFleet.Web.Gateway;

/// <summary>The sockets this node holds, for the silence sweep and for shutdown.</summary>
internal sealed class AgentSessions
{
    private readonly ConcurrentDictionary<string, AgentSession> _open = new();

    public int Count => _open.Count;

    public IEnumerable<AgentSession> All => _open.Values;

    public void Add(AgentSession s) => _open[s.ConnectionId] = s;

    public void Remove(AgentSession s) => _open.TryRemove(s.ConnectionId, out _);
}
