using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace NixFleet.Silo.Storage;

/// <summary>A grain store whose writes take turns through the <see cref="SqliteWriteGate"/>; reads go straight through (WAL).</summary>
public sealed class GatedGrainStorage(IGrainStorage inner, SqliteWriteGate gate) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>Wraps the store registered under <paramref name="name"/> (keyed <see cref="IGrainStorage"/>).</summary>
    public static void Wrap(IServiceCollection services, string name)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name))
            ?? throw new InvalidOperationException($"no grain storage named {name} to wrap");
        var create = registered.KeyedImplementationFactory ?? throw new InvalidOperationException($"grain storage {name} is not made by a factory");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) =>
            new GatedGrainStorage((IGrainStorage)create(sp, key), sp.GetRequiredService<SqliteWriteGate>()));
    }
}
