namespace NixFleet.Grains.Hosts;

/// <summary>
/// Revokes a host's agent tokens when the host is deleted. Implemented by the silo's token store, so grains
/// need not know where tokens live.
/// </summary>
public interface IHostTokenRevoker
{
    Task<int> RevokeHostAsync(string hostname, CancellationToken ct = default);
}
