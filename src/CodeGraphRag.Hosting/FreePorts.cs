using System.Net;
using System.Net.Sockets;

namespace CodeGraphRag.Hosting;

/// <summary>Picks free loopback ports, so several in-process silos on one machine never collide.</summary>
internal static class FreePorts
{
    /// <summary>Two distinct ports that were free a moment ago (Orleans refuses port 0).</summary>
    public static (int Silo, int Gateway) Pick()
    {
        using var a = new TcpListener(IPAddress.Loopback, 0);
        using var b = new TcpListener(IPAddress.Loopback, 0);
        a.Start();
        b.Start();
        var ports = (((IPEndPoint)a.LocalEndpoint).Port, ((IPEndPoint)b.LocalEndpoint).Port);
        a.Stop();
        b.Stop();
        return ports;
    }
}
