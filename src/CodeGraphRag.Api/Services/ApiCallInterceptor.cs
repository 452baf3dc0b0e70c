using System.Diagnostics;
using CodeGraphRag.Abstractions.Telemetry;
using CodeGraphRag.Api.Auth;
using CodeGraphRag.Api.Telemetry;
using CodeGraphRag.Grains.Indexing;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CodeGraphRag.Api.Services;

/// <summary>
/// Wraps every call of the codegraphrag.v1 service, over gRPC and its HTTP/JSON routes alike: resolves the caller
/// (UNAUTHENTICATED without valid credentials), traces it (<c>cgr.&lt;Method&gt;</c>), maps failures to one status with
/// a message that reveals nothing of the server (cancellation, deadline, a silo gone, a store failure, anything else as
/// INTERNAL with the detail in the log), records the RPC metric and writes the audit line, whatever the outcome.
/// </summary>
internal sealed partial class ApiCallInterceptor(
    CallerResolver callers, AuditLog audit, ServerTelemetry telemetry, TimeProvider time, ILogger<ApiCallInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        => RunAsync(context, () => continuation(request, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        => RunAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    private async Task<T> RunAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var operation = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var clock = Stopwatch.StartNew();
        var entry = new AuditEntry(operation);
        using var activity = CodeGraphRagTelemetry.Source.StartActivity("cgr." + operation);
        var status = StatusCode.OK;
        try
        {
            var caller = callers.Resolve(context);
            entry.Principal = caller.Principal;
            new ApiCall(caller, entry).Attach(context);
            return await call();
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            status = context.Deadline <= time.GetUtcNow().UtcDateTime ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;
            throw new RpcException(new Status(status, status == StatusCode.DeadlineExceeded ? "deadline exceeded" : "cancelled by the caller"));
        }
        catch (Exception ex) when (ClusterFaults.IsUnavailable(ex))
        {
            // CGR: a silo this call needs died and membership has not declared it dead yet (or no silo of the needed role
            // is up): transient, so UNAVAILABLE, the status gRPC clients retry with backoff, rather than INTERNAL.
            status = StatusCode.Unavailable;
            LogSiloUnavailable(logger, operation, ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, $"{operation}: a silo this call needs is unreachable; retry with backoff"));
        }
        catch (Exception ex)
        {
            var mapped = StoreFailures.Map(ex) ?? new Status(StatusCode.Internal, $"{operation} failed on the server; see its log");
            status = mapped.StatusCode;
            LogRpcFailed(logger, operation, ex);
            throw new RpcException(mapped);
        }
        finally
        {
            activity?.SetTag("rpc.grpc.status_code", (int)status);
            telemetry.RecordRpc(operation, status.ToString());
            audit.Write(entry, status.ToString(), clock.Elapsed);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Operation} failed")]
    private static partial void LogRpcFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} answered UNAVAILABLE: {Reason}")]
    private static partial void LogSiloUnavailable(ILogger logger, string operation, string reason);
}
