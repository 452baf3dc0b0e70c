namespace CodeGraphRag.Abstractions.Search;

/// <summary>
/// The limits and defaults of a search request, the same for the server's API and the command line, and the RRF constant
/// every fusion uses unless configured otherwise (in-process fusion, file ranking, Milvus' hybrid ranker).
/// </summary>
public static class SearchLimits
{
    /// <summary>The longest query the API accepts (characters); a longer one is INVALID_ARGUMENT (the CLI's remote eval cuts to it).</summary>
    public const int MaxQueryLength = 2_000;

    /// <summary>Hits returned when a request names no number.</summary>
    public const int DefaultTop = 10;

    /// <summary>The most hits (or files) one request may ask for.</summary>
    public const int MaxTop = 100;

    /// <summary>Hits a context is packed from.</summary>
    public const int ContextTop = 20;

    /// <summary>The smallest token budget a context may have.</summary>
    public const int MinTokenBudget = 50;

    /// <summary>The token budget of a context when a request names none.</summary>
    public const int DefaultTokenBudget = 4_000;

    /// <summary>The largest token budget a context may have.</summary>
    public const int MaxTokenBudget = 200_000;

    /// <summary>The deepest graph traversal a neighbour request may ask for.</summary>
    public const int MaxDepth = 3;

    /// <summary>The k of reciprocal rank fusion (score = sum of weight / (k + rank)).</summary>
    public const int RrfK = 60;
}
