namespace NixFleet.Silo.Storage;

/// <summary>
/// Where one grain's state lives in <c>GrainState</c>: the key columns as Orleans' ADO.NET provider filled them
/// (integer keys in N1, GUID keys split over N0 and N1, anything else as the string key), so files written
/// before this store took over are read back unchanged.
/// </summary>
public readonly record struct GrainStateKey(string ServiceId, string StateName, long N0, long N1, string KeyString, int Hash)
{
    public static GrainStateKey For(string serviceId, string stateName, GrainId id)
    {
        var hash = (int)id.GetUniformHashCode();
        if (id.TryGetGuidKey(out var guid, out var guidExt))
        {
            Span<byte> b = stackalloc byte[16];
            guid.TryWriteBytes(b);
            return new(serviceId, stateName, BitConverter.ToInt64(b[..8]), BitConverter.ToInt64(b[8..]), guidExt ?? "", hash);
        }
        if (id.TryGetIntegerKey(out var n, out var intExt)) return new(serviceId, stateName, 0, n, intExt ?? "", hash);
        return new(serviceId, stateName, 0, 0, id.Key.ToString()!, hash);
    }
}
