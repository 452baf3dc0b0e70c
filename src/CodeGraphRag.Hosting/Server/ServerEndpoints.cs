namespace CodeGraphRag.Hosting.Server;

/// <summary>Where a started server listens.</summary>
/// <param name="Grpc">The gRPC endpoint (HTTP/2 cleartext), e.g. <c>http://127.0.0.1:5000</c>.</param>
/// <param name="Http">The HTTP/1.1 endpoint for health checks and webhooks, e.g. <c>http://127.0.0.1:8080</c>.</param>
public sealed record ServerEndpoints(Uri Grpc, Uri Http);
