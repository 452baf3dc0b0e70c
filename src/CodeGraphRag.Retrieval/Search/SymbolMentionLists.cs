using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Mentions;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>
/// The lists the identifiers a query names (<see cref="SymbolMentions"/>) add to the fusion: which names are looked up,
/// which resolve (rare enough, qualifier honoured), and each resolved name's list (defining symbols' chunks, then their
/// callers' first chunks) with its weight. Thread-safe.
/// </summary>
public static class SymbolMentionLists
{
    /// <summary>
    /// The identifiers to look up, first named first, at most <see cref="SearchOptions.MaxSymbolMentions"/>; none when
    /// <see cref="SearchOptions.MaxFilesPerSymbol"/> is 0.
    /// </summary>
    /// <param name="searched">The searched query text (<see cref="SearchPlan.Searched"/>).</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The named identifiers, possibly none.</returns>
    public static IReadOnlyList<SymbolMention> ToLookUp(string searched, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mentions = SymbolMentions.Extract(searched, options.MaxSymbolMentions);
        return mentions.Count == 0 || options.MaxFilesPerSymbol == 0 ? [] : mentions;
    }

    /// <summary>The distinct names of <paramref name="mentions"/>, in order.</summary>
    /// <param name="mentions">The identifiers looked up.</param>
    /// <returns>The names to find definitions of.</returns>
    public static IReadOnlyList<string> Names(IReadOnlyList<SymbolMention> mentions) =>
        [.. mentions.Select(m => m.Name).Distinct(StringComparer.Ordinal)];

    /// <summary>The most definitions read per name.</summary>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>Four definitions per allowed file, plus one.</returns>
    /// <remarks>
    /// One more definition than a name may usefully have (a few per file: overloads, partial classes) tells a common
    /// name (<c>__init__</c>, <c>main</c>, <c>Dispose</c>) from a rare one without reading every definition of it.
    /// </remarks>
    public static int DefinitionLimit(SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (options.MaxFilesPerSymbol * 4) + 1;
    }

    /// <summary>
    /// The identifiers that resolve: a name with no definition, or with <see cref="DefinitionLimit"/> of them (too common),
    /// is dropped; a dotted name keeps the definitions its qualifier points to when any does; a name defined in more than
    /// <see cref="SearchOptions.MaxFilesPerSymbol"/> files is dropped.
    /// </summary>
    /// <param name="mentions">The identifiers looked up, first named first.</param>
    /// <param name="definitions">The definitions found for their names, at most <see cref="DefinitionLimit"/> per name.</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The resolved identifiers, in the order named.</returns>
    public static IReadOnlyList<ResolvedSymbolMention> Resolve(
        IReadOnlyList<SymbolMention> mentions, IReadOnlyList<SymbolDefinition> definitions, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(mentions);
        ArgumentNullException.ThrowIfNull(definitions);
        var limit = DefinitionLimit(options);
        var resolved = new List<ResolvedSymbolMention>();
        foreach (var mention in mentions)
        {
            var found = definitions.Where(d => d.Name == mention.Name).ToList();
            if (found.Count == 0 || found.Count == limit)
            {
                continue;
            }

            if (mention.Qualifier is { } qualifier && found.Where(d => Qualifies(d.Symbol, qualifier)).ToList() is { Count: > 0 } qualified)
            {
                found = qualified;
            }

            var files = found.Select(d => (d.Symbol.Repository, d.Symbol.Path)).Distinct().Count();
            if (files <= options.MaxFilesPerSymbol)
            {
                resolved.Add(new ResolvedSymbolMention(mention, [.. found.Select(d => d.Symbol).Distinct()], files));
            }
        }

        return resolved;
    }

    /// <summary>Every defining symbol of <paramref name="resolved"/>, each once, in order.</summary>
    /// <param name="resolved">The resolved identifiers.</param>
    /// <returns>The symbols whose callers and chunks are read.</returns>
    public static IReadOnlyList<SymbolKey> Defining(IReadOnlyList<ResolvedSymbolMention> resolved) =>
        [.. resolved.SelectMany(r => r.Symbols).Distinct()];

    /// <summary>The callers read for the defining symbols: direct callers and theirs, within the readable repositories.</summary>
    /// <param name="scope">The query's scope.</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The neighbour query.</returns>
    public static NeighborQuery CallerQuery(SearchScope scope, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(options);
        return new NeighborQuery(GraphRelation.Caller, 2, options.Graph.MaxCandidatesPerName, scope.Filter.Repositories);
    }

    /// <summary>The symbols whose chunks the lists need: the defining symbols, then their callers, each once.</summary>
    /// <param name="defining">The defining symbols (<see cref="Defining"/>).</param>
    /// <param name="callers">Their callers.</param>
    /// <returns>The symbols to read chunks of.</returns>
    public static IReadOnlyList<SymbolKey> ChunkOwners(IReadOnlyList<SymbolKey> defining, IReadOnlyList<GraphNeighbor> callers) =>
        [.. defining.Concat(callers.Select(c => c.Neighbor)).Distinct()];

    /// <summary>
    /// One list per resolved identifier that keeps any chunk: its defining symbols' chunks (at most
    /// <see cref="SearchOptions.MaxChunksPerMentionedFile"/> each), then each caller's first chunk, within the query's
    /// filter. The first list's weight is <see cref="SearchOptions.SymbolMentionWeight"/> divided by the identifier's
    /// number of defining files, each next list's <see cref="SearchOptions.MentionDecay"/> times as much.
    /// </summary>
    /// <param name="resolved">The resolved identifiers, first named first.</param>
    /// <param name="callers">The defining symbols' callers.</param>
    /// <param name="chunksOf">The chunks of the defining symbols and callers, in line order.</param>
    /// <param name="scope">The query's scope.</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The lists with their weights.</returns>
    public static SymbolLists Build(
        IReadOnlyList<ResolvedSymbolMention> resolved,
        IReadOnlyList<GraphNeighbor> callers,
        IReadOnlyDictionary<SymbolKey, IReadOnlyList<ChunkRecord>> chunksOf,
        SearchScope scope,
        SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(chunksOf);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(options);
        var lists = new List<IReadOnlyList<ScoredChunk>>(resolved.Count);
        var weights = new List<double>(resolved.Count);
        foreach (var (_, symbols, files) in resolved)
        {
            var ordered = symbols.SelectMany(s => (chunksOf.GetValueOrDefault(s) ?? []).Take(options.MaxChunksPerMentionedFile))
                .Concat(callers.Where(c => symbols.Contains(c.From)).SelectMany(c => (chunksOf.GetValueOrDefault(c.Neighbor) ?? []).Take(1)))
                .Where(scope.Admits)
                .Select(c => c.Id)
                .Distinct(StringComparer.Ordinal)
                .Select(id => new ScoredChunk(id, lists.Count + 1))
                .ToList();
            if (ordered.Count > 0)
            {
                weights.Add(options.SymbolMentionWeight * Math.Pow(options.MentionDecay, lists.Count) / files);
                lists.Add(ordered);
            }
        }

        return new SymbolLists(lists, weights);
    }

    /// <summary>Whether a definition sits where a dotted name's qualifier says: a type or module of that name encloses it, or its file is named so.</summary>
    private static bool Qualifies(SymbolKey symbol, string qualifier)
    {
        var last = qualifier[(qualifier.LastIndexOf('.') + 1)..];
        var enclosing = symbol.QualifiedName.LastIndexOf('.') is var dot and > 0 ? symbol.QualifiedName[..dot] : string.Empty;
        var file = Path.GetFileNameWithoutExtension(symbol.Path);
        return enclosing.EndsWith(last, StringComparison.Ordinal) || file.Equals(last, StringComparison.OrdinalIgnoreCase);
    }
}
