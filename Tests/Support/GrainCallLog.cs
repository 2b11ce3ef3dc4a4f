using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Grains.Interfaces.Hosts;
using Orleans.Runtime;

namespace NixFleet.Tests.Support;

/// <summary>
/// Records every call host grains receive on one silo, with its arguments, and the agent connection each
/// registration carried (as the grain's silo sees it), so tests can observe what the gateway tells grains.
/// </summary>
public sealed class GrainCallLog(ILocalSiloDetails silo)
{
    public sealed record Call(string Host, string Method, object?[] Args);

    public ConcurrentQueue<Call> Calls { get; } = new();
    public ConcurrentDictionary<string, IAgentConnection> Connections { get; } = new();
    public SiloAddress Silo => silo.SiloAddress;

    public IEnumerable<Call> For(string host, string method) => Calls.Where(c => c.Host == host && c.Method == method);

    public static void AddTo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<GrainCallLog>();
        silo.AddIncomingGrainCallFilter<Filter>();
    }

    private sealed class Filter(GrainCallLog log) : IIncomingGrainCallFilter
    {
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is not IHostGrain)
            {
                await context.Invoke();
                return;
            }
            var host = context.TargetId.Key.ToString()!;
            var args = Enumerable.Range(0, context.Request.GetArgumentCount()).Select(context.Request.GetArgument).ToArray();
            await context.Invoke();
            log.Calls.Enqueue(new Call(host, context.MethodName, args));
            if (context.MethodName == nameof(IHostGrain.RegisterAsync) && args[2] is IAgentConnection c) log.Connections[host] = c;
        }
    }
}
