using CodeGraphRag.Cli.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;

namespace CodeGraphRag.Cli.Remote;

/// <summary>
/// A gRPC connection to a CodeGraphRag server (<c>--server</c> or <c>CGR_SERVER</c>), authenticated with
/// <c>--api-key</c> / <c>CGR_API_KEY</c> or <c>--token</c> / <c>CGR_TOKEN</c>.
/// </summary>
internal sealed class RemoteConnection : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers;

    private RemoteConnection(Uri address, Metadata headers)
    {
        Address = address;
        _headers = headers;
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        Client = new Api.V1.CodeGraphRag.CodeGraphRagClient(_channel);
    }

    /// <summary>The server address.</summary>
    public Uri Address { get; }

    /// <summary>The generated client.</summary>
    public Api.V1.CodeGraphRag.CodeGraphRagClient Client { get; }

    /// <summary>Connects to <paramref name="server"/> (a URL; <c>host:port</c> means plain-text HTTP/2).</summary>
    public static RemoteConnection Open(string server, ParsedArgs args)
    {
        var text = server.Contains("://", StringComparison.Ordinal) ? server : "http://" + server;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"--server '{server}' is not a server address; use http://host:port or https://host:port");
        }

        var headers = new Metadata();
        var apiKey = args.Value("api-key") ?? Environment.GetEnvironmentVariable("CGR_API_KEY");
        var token = args.Value("token") ?? Environment.GetEnvironmentVariable("CGR_TOKEN");
        if (!string.IsNullOrEmpty(apiKey) && !string.IsNullOrEmpty(token))
        {
            throw CliException.Usage("give either --api-key (CGR_API_KEY) or --token (CGR_TOKEN), not both");
        }

        if (!string.IsNullOrEmpty(apiKey))
        {
            headers.Add("x-api-key", apiKey);
        }
        else if (!string.IsNullOrEmpty(token))
        {
            headers.Add("authorization", "Bearer " + token);
        }

        return new RemoteConnection(address, headers);
    }

    /// <summary>Call options with the credentials, a deadline and the cancellation token.</summary>
    public CallOptions Call(CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        new(_headers, timeout is { } t ? TimeProvider.System.GetUtcNow().UtcDateTime.Add(t) : null, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _channel.Dispose();
}
