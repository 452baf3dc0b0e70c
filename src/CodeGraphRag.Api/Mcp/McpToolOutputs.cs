namespace CodeGraphRag.Api.Mcp;

/// <summary>The structured result of <c>search_code</c>.</summary>
/// <param name="Mode">The mode that ran (lexical, dense, hybrid, hybrid+graph).</param>
/// <param name="Hits">Ranked hits, best first.</param>
public sealed record SearchCodeOutput(string Mode, IReadOnlyList<McpHit> Hits);

/// <summary>One ranked piece of code.</summary>
/// <param name="Rank">1-based rank.</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Path inside the repository, with '/'.</param>
/// <param name="StartLine">First line (1-based).</param>
/// <param name="EndLine">Last line.</param>
/// <param name="Symbol">Qualified symbol name; empty for a file's top-level code.</param>
/// <param name="Kind">Chunk kind (method, class, function, ...).</param>
/// <param name="Language">Language id.</param>
/// <param name="FileClass">The file's class: code, test, docs, changelog, config, generated, example or benchmark.</param>
/// <param name="Score">Final score; higher is better, comparable within one answer only.</param>
/// <param name="Related">Code around the hit: callers, callees, parent types, imports.</param>
/// <param name="Text">The code (secrets redacted); absent where the code is elsewhere in the answer (get_context).</param>
public sealed record McpHit(
    int Rank,
    string Repository,
    string Path,
    int StartLine,
    int EndLine,
    string Symbol,
    string Kind,
    string Language,
    string FileClass,
    double Score,
    IReadOnlyList<McpRelated> Related,
    string? Text = null);

/// <summary>Code related to a hit or symbol.</summary>
/// <param name="Relation">caller, callee, parent, imports, base_type or derived_type.</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Path inside the repository.</param>
/// <param name="Symbol">Qualified symbol name (empty: the file's top level).</param>
/// <param name="StartLine">First line.</param>
/// <param name="EndLine">Last line.</param>
public sealed record McpRelated(string Relation, string Repository, string Path, string Symbol, int StartLine, int EndLine);

/// <summary>The structured result of <c>get_context</c>.</summary>
/// <param name="Context">The packed context, ready for a prompt.</param>
/// <param name="Tokens">Tokens the context takes.</param>
/// <param name="TokenBudget">The budget it was packed into.</param>
/// <param name="RelatedIncluded">Related snippets (callers, callees, parents) in the context.</param>
/// <param name="Hits">The hits whose code is in the context, in context order (without their text).</param>
public sealed record GetContextOutput(string Context, int Tokens, int TokenBudget, int RelatedIncluded, IReadOnlyList<McpHit> Hits);

/// <summary>The structured result of <c>get_symbol</c>.</summary>
/// <param name="Symbols">The definitions that matched, each with its neighbours.</param>
/// <param name="MoreMatches">True when more definitions matched than were returned (narrow with repo or path).</param>
public sealed record GetSymbolOutput(IReadOnlyList<McpSymbol> Symbols, bool MoreMatches);

/// <summary>A symbol definition and the code around it.</summary>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Path inside the repository.</param>
/// <param name="Symbol">Qualified name.</param>
/// <param name="Kind">Symbol kind.</param>
/// <param name="Neighbors">Callers, callees, parents, imports and type relations, nearest first.</param>
public sealed record McpSymbol(string Repository, string Path, string Symbol, string Kind, IReadOnlyList<McpNeighbor> Neighbors);

/// <summary>A symbol reached from another through the code graph.</summary>
/// <param name="Relation">caller, callee, parent, imports, base_type or derived_type.</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Path inside the repository.</param>
/// <param name="Symbol">Qualified name (empty: the file's top level).</param>
/// <param name="Kind">Symbol kind.</param>
/// <param name="StartLine">First line.</param>
/// <param name="EndLine">Last line.</param>
/// <param name="Depth">Hops from the symbol asked about (1: direct).</param>
public sealed record McpNeighbor(string Relation, string Repository, string Path, string Symbol, string Kind, int StartLine, int EndLine, int Depth);

/// <summary>The structured result of <c>list_repositories</c>.</summary>
/// <param name="Repositories">The repositories the caller may read, by name.</param>
public sealed record ListRepositoriesOutput(IReadOnlyList<McpRepository> Repositories);

/// <summary>An indexed repository.</summary>
/// <param name="Name">Name to pass as <c>repo</c>.</param>
/// <param name="Source">Where it is read from (local path or git URL); shown to administrators only.</param>
/// <param name="Revision">The commit the last completed sync indexed, when indexing a git revision.</param>
/// <param name="LastSyncCompleted">When the last sync completed (ISO 8601, UTC); null while none has.</param>
public sealed record McpRepository(string Name, string? Source, string? Revision, DateTimeOffset? LastSyncCompleted);

/// <summary>The structured result of <c>index_status</c>.</summary>
/// <param name="Repositories">One entry per repository asked about.</param>
public sealed record IndexStatusOutput(IReadOnlyList<McpRepositoryStatus> Repositories);

/// <summary>What is indexed in one repository and how its sync stands.</summary>
/// <param name="Name">Repository name.</param>
/// <param name="LastSyncCompleted">When the last sync completed; null while none has.</param>
/// <param name="FilesIndexed">Files indexed.</param>
/// <param name="FilesSkipped">Files skipped (binary, too large, ignored language, ...).</param>
/// <param name="FilesFailed">Files that failed.</param>
/// <param name="Chunks">Stored chunks.</param>
/// <param name="Symbols">Stored symbols.</param>
/// <param name="References">Stored call, import and inheritance references.</param>
/// <param name="Languages">Indexed files by language.</param>
/// <param name="Sync">The running or last sync of this process; null when none ran since the index was opened.</param>
/// <param name="ChunksAwaitingVectors">Chunks written but not yet embedded: found by lexical and graph search, not yet by dense search.</param>
public sealed record McpRepositoryStatus(
    string Name,
    DateTimeOffset? LastSyncCompleted,
    int FilesIndexed,
    int FilesSkipped,
    int FilesFailed,
    long Chunks,
    long Symbols,
    long References,
    IReadOnlyDictionary<string, int> Languages,
    McpSyncState? Sync,
    long ChunksAwaitingVectors);

/// <summary>A sync's phase and progress.</summary>
/// <param name="Phase">scanning, processing, removing, completed, failed or cancelled.</param>
/// <param name="FilesProcessed">Changed files finished.</param>
/// <param name="FilesToProcess">Changed files to process.</param>
/// <param name="Error">Why it stopped, when it failed.</param>
public sealed record McpSyncState(string Phase, int FilesProcessed, int FilesToProcess, string? Error);

/// <summary>The structured result of <c>index_repository</c> and <c>sync_repository</c>.</summary>
/// <param name="Repository">The repository's name.</param>
/// <param name="Phase">completed (failures and cancellations are tool errors).</param>
/// <param name="FilesIndexed">Files (re)indexed.</param>
/// <param name="FilesUnchanged">Files whose content had not changed (nothing to do).</param>
/// <param name="FilesDeleted">Files removed from the index because they left the tree.</param>
/// <param name="FilesFailed">Files that failed (index_status lists them).</param>
/// <param name="ChunksWritten">Chunks inserted or changed.</param>
/// <param name="ChunksEmbedded">Chunks embedded.</param>
/// <param name="Seconds">How long the sync took.</param>
public sealed record SyncOutput(
    string Repository, string Phase, int FilesIndexed, int FilesUnchanged, int FilesDeleted, int FilesFailed, long ChunksWritten, long ChunksEmbedded, double Seconds);
