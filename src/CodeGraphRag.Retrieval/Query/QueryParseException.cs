namespace CodeGraphRag.Retrieval.Query;

/// <summary>A query string whose inline filters are malformed; the message names the filter and what to do.</summary>
public sealed class QueryParseException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filter">The filter key as written, such as <c>repo:</c>.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    public QueryParseException(string filter, string message)
        : base(message)
    {
        Filter = filter;
    }

    /// <summary>The filter key the error is about, such as <c>repo:</c>.</summary>
    public string Filter { get; }
}
