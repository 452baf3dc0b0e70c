using System.Net;

namespace CodeGraphRag.Storage.Neo4j;

/// <summary>
/// A failed Neo4j request: the operation, the database, and the Neo4j status code (e.g.
/// <c>Neo.ClientError.Statement.SyntaxError</c>) or HTTP status that caused it. Never carries credentials.
/// </summary>
[GenerateSerializer, Alias("cgr.Neo4jException")]
public sealed class Neo4jException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Neo4jException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public Neo4jException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public Neo4jException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="operation"/> on <paramref name="database"/>.</summary>
    public Neo4jException(string operation, string database, string? code, HttpStatusCode? statusCode, bool isTransient, string message, Exception? innerException = null)
        : base($"Neo4j {operation} on database '{database}' failed{(code is null ? string.Empty : $" ({code})")}{(statusCode is null ? string.Empty : $" [HTTP {(int)statusCode}]")}: {message}", innerException)
    {
        Operation = operation;
        Database = database;
        Code = code;
        StatusCode = statusCode;
        IsTransient = isTransient;
    }

    /// <summary>The store operation that failed, e.g. <c>ApplyFile</c>.</summary>
    [Id(0)]
    public string? Operation { get; init; }

    /// <summary>The database the request went to.</summary>
    [Id(1)]
    public string? Database { get; init; }

    /// <summary>The Neo4j status code of the first error, or null when the failure had none (timeouts, connection failures, bare HTTP errors).</summary>
    [Id(2)]
    public string? Code { get; init; }

    /// <summary>The HTTP status of the response, when one arrived.</summary>
    [Id(3)]
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Whether the failure was transient (the request was retried until the retries ran out).</summary>
    [Id(4)]
    public bool IsTransient { get; init; }
}
