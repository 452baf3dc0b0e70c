namespace CodeGraphRag.Storage.Neo4j.Internals;

/// <summary>One Cypher statement with its parameters (values: null, string, bool, int, long, lists and string-keyed maps of these).</summary>
internal sealed record CypherStatement(string Text, IReadOnlyDictionary<string, object?> Parameters)
{
    public static CypherStatement Of(string text, params (string Name, object? Value)[] parameters)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            map[name] = value;
        }

        return new CypherStatement(text, map);
    }
}
