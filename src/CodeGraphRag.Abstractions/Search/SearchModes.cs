namespace CodeGraphRag.Abstractions.Search;

/// <summary>The names users type and read for <see cref="SearchMode"/> values: lexical, dense, hybrid, hybrid+graph.</summary>
public static class SearchModes
{
    /// <summary>The names, in the order help texts list them.</summary>
    public const string AllNames = "lexical, dense, hybrid, hybrid+graph";

    /// <summary>The user-facing name of <paramref name="mode"/>.</summary>
    public static string Name(SearchMode mode) => mode switch
    {
        SearchMode.HybridGraph => "hybrid+graph",
        _ => mode.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads a mode name (any case; <c>hybrid-graph</c> and <c>graph</c> mean hybrid+graph); null or blank is the default, hybrid+graph.</summary>
    public static bool TryParse(string? name, out SearchMode mode)
    {
        mode = SearchMode.HybridGraph;
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "hybrid+graph" or "hybrid-graph" or "graph":
                return true;
            case "hybrid":
                mode = SearchMode.Hybrid;
                return true;
            case "dense":
                mode = SearchMode.Dense;
                return true;
            case "lexical":
                mode = SearchMode.Lexical;
                return true;
            default:
                return false;
        }
    }
}
