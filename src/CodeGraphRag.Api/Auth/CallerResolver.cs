using CodeGraphRag.Hosting.Configuration;
using Grpc.Core;

namespace CodeGraphRag.Api.Auth;

/// <summary>Maps a call's authenticated user to a <see cref="Caller"/>; rejects unauthenticated calls when authentication is on.</summary>
internal sealed class CallerResolver(ServerOptions settings)
{
    /// <exception cref="RpcException">UNAUTHENTICATED.</exception>
    public Caller Resolve(ServerCallContext context) =>
        TryResolve(context.GetHttpContext()) ?? throw new RpcException(new Status(StatusCode.Unauthenticated,
            "missing or invalid credentials: send metadata 'x-api-key: <key>' or 'authorization: Bearer <jwt>'"));

    /// <summary>The caller of an HTTP request (gRPC or not); null when authentication is on and the request carries no valid credentials.</summary>
    public Caller? TryResolve(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (settings.AuthMode == AuthModes.None)
        {
            return Caller.Anonymous;
        }

        var user = http.User;
        if (user.Identity is not { IsAuthenticated: true } || user.FindFirst(ServerClaims.Principal) is not { } principal)
        {
            return null;
        }

        var groups = user.FindAll(ServerClaims.Group).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var admin = settings.AdminGroup is { } adminGroup && groups.Contains(adminGroup);
        return new Caller(principal.Value, groups, admin);
    }
}
