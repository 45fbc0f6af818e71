using System.Net;
using System.Net.Sockets;

namespace Strata.IntegrationTests.Infrastructure;

public static class FreePort
{
    /// <summary>A TCP port of 127.0.0.1 that nothing listens on right now.</summary>
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
