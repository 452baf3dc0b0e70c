using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CodeGraphRag.Hosting.Server;

/// <summary>Kestrel's two listeners; after start their endpoints carry the bound ports (port 0 included).</summary>
internal sealed class ServerListeners
{
    public ListenOptions? Grpc { get; set; }

    public ListenOptions? Http { get; set; }
}
