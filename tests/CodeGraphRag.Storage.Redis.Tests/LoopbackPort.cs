using System.Net;
using System.Net.Sockets;

namespace CodeGraphRag.Storage.Redis.Tests;

/// <summary>Loopback ports nothing listens on when handed out.</summary>
internal static class LoopbackPort
{
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
