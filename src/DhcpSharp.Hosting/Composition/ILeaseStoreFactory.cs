using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Hosting.Composition;

/// <summary>Opens the lease store the settings ask for. Register another implementation to bring your own store.</summary>
public interface ILeaseStoreFactory
{
    ILeaseStore Open(DhcpSharpSettings settings);
}
