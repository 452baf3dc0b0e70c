using CodeGraphRag.Api.Auth;
using Grpc.Core;

namespace CodeGraphRag.Api.Services;

/// <summary>
/// What <see cref="ApiCallInterceptor"/> established for one call of the codegraphrag.v1 service: the authenticated
/// caller, and the audit entry the method fills in (repositories, result count, query).
/// </summary>
/// <param name="Caller">Who called (anonymous when authentication is off).</param>
/// <param name="Entry">The call's audit line, written when the call ends.</param>
internal sealed record ApiCall(Caller Caller, AuditEntry Entry)
{
    private static readonly object Key = typeof(ApiCall);

    /// <summary>The call's scope.</summary>
    /// <exception cref="InvalidOperationException">The interceptor did not run for this call (a registration mistake).</exception>
    public static ApiCall Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(Key, out var scope) && scope is ApiCall call
            ? call
            : throw new InvalidOperationException($"{context.Method} ran without {nameof(ApiCallInterceptor)}");
    }

    /// <summary>Makes this the scope of <paramref name="context"/>'s call.</summary>
    public void Attach(ServerCallContext context) => context.UserState[Key] = this;
}
