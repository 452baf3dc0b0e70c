using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Storage.Embedded;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Api.Services;

/// <summary>
/// The store failures a caller can act on (or must tell an operator about), as gRPC statuses with one line each. The line
/// never names a server path: callers need not be admins, and the path is in the server's log with the full error.
/// </summary>
internal static class StoreFailures
{
    private const int NoSpaceErrno = 28;

    /// <summary>The status for <paramref name="exception"/> (or an exception it wraps), or null when it is not one of these.</summary>
    public static Status? Map(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseDamagedException:
                case SqliteException sqlite when DatabaseDamagedException.IsDamage(sqlite):
                    return new Status(StatusCode.DataLoss,
                        "the server's index database is damaged; an operator must stop the server and run 'cgr repair' on its data directory (see the server's log)");
                case DataDirectoryAccessException access:
                    return new Status(StatusCode.FailedPrecondition,
                        $"the server cannot write its data directory ({DataDirectoryAccessException.Cause(access.InnerException ?? access)}); see the server's log");
                case DataDirectoryLockedException:
                    return new Status(StatusCode.FailedPrecondition,
                        "the server's data directory is held by another writer (an 'index --watch' or a second server); see the server's log");
                case EmbeddingModelMismatchException mismatch:
                    return new Status(StatusCode.FailedPrecondition, mismatch.Message);
                case IOException { HResult: NoSpaceErrno }:
                    return new Status(StatusCode.ResourceExhausted, "the server's disk is full; see the server's log");
            }
        }

        return null;
    }
}
