using System.Net;

namespace CodeGraphRag.Storage.Milvus;

/// <summary>
/// A failure of a Milvus request after transient errors were retried, or a collection that does not match this deployment.
/// Carries the operation, the collection and the Milvus error code (null when the failure was in transport or HTTP).
/// </summary>
[GenerateSerializer, Alias("cgr.MilvusException")]
public sealed class MilvusException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MilvusException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MilvusException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MilvusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="operation"/> on <paramref name="collection"/>.</summary>
    /// <param name="operation">What the client was doing, e.g. <c>Upsert</c> or <c>EnsureCollection</c>.</param>
    /// <param name="collection">The collection addressed.</param>
    /// <param name="code">The <c>code</c> of Milvus' response, or null when none arrived.</param>
    /// <param name="statusCode">The HTTP status, or null when no response arrived.</param>
    /// <param name="message">What went wrong (Milvus' own message when it sent one).</param>
    /// <param name="innerException">The transport failure, if any.</param>
    public MilvusException(string operation, string collection, int? code, HttpStatusCode? statusCode, string message, Exception? innerException = null)
        : base(Format(operation, collection, code, statusCode, message), innerException)
    {
        Operation = operation;
        Collection = collection;
        Code = code;
        StatusCode = statusCode;
    }

    /// <summary>The client operation that failed, e.g. <c>Upsert</c>, <c>Search</c>, <c>EnsureCollection</c>.</summary>
    [Id(0)]
    public string? Operation { get; init; }

    /// <summary>The collection the request addressed.</summary>
    [Id(1)]
    public string? Collection { get; init; }

    /// <summary>Milvus' error <c>code</c> (e.g. 100 collection not found, 1100 invalid parameter), or null.</summary>
    [Id(2)]
    public int? Code { get; init; }

    /// <summary>The HTTP status of the last response, or null when none arrived.</summary>
    [Id(3)]
    public HttpStatusCode? StatusCode { get; init; }

    private static string Format(string operation, string collection, int? code, HttpStatusCode? statusCode, string message)
    {
        var details = new List<string>(2);
        if (code is { } c)
        {
            details.Add($"code {c}");
        }

        if (statusCode is { } s)
        {
            details.Add($"HTTP {(int)s}");
        }

        var suffix = details.Count == 0 ? string.Empty : $" ({string.Join(", ", details)})";
        return $"Milvus {operation} on collection '{collection}' failed{suffix}: {message}";
    }
}
