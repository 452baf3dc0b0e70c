using System.Net;
using System.Net.Sockets;
using CodeGraphRag.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace CodeGraphRag.Hosting.Server;

/// <summary>The Orleans silo inside the server: clustering, endpoints, roles, grain storage, activity propagation.</summary>
internal static class ServerSilo
{
    public static void Configure(ISiloBuilder silo, ServerOptions settings)
    {
        var siloPort = settings.SiloPort == 0 ? FreePort() : settings.SiloPort;
        var gatewayPort = settings.GatewayPort == 0 ? FreePort(siloPort) : settings.GatewayPort;
        if (settings.Clustering == ClusteringKind.Redis)
        {
            silo.UseRedisClustering(settings.RedisConnectionString!);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            var advertised = settings.AdvertisedAddress ?? FirstNonLoopbackAddress();
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = settings.AdvertisedAddress ?? IPAddress.Loopback);
        }

        // Failure detection is tunable (CodeGraphRag:Cluster:Membership:ProbeTimeout, NumMissedProbesLimit, ...), e.g. for
        // fast fault tests; the defaults are Orleans'.
        silo.Services.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection("CodeGraphRag:Cluster:Membership"));
        ServerStores.AddGrainStorage(silo, settings);
        // CGR: as AddCodeGraphRagSiloDefaults: one large file's embedding runs inside its file grain call, and a cancelled
        // call waits for the callee.
        silo.Configure<SiloMessagingOptions>(Microsoft.Extensions.Hosting.SiloBuilderExtensions.ConfigureMessaging);
        silo.AddCodeGraphRagRoles(settings.Roles);
        silo.AddActivityPropagation();
    }

    private static int FreePort(int except = -1)
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port != except)
            {
                return port;
            }
        }
    }

    private static IPAddress FirstNonLoopbackAddress()
    {
        var addresses = Dns.GetHostAddresses(Dns.GetHostName());
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
    }
}
