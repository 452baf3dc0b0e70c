using System.Text.RegularExpressions;

namespace CodeGraphRag.Storage.Neo4j.Internals;

/// <summary>
/// Every Cypher statement the graph index sends. Values are always parameters; the only literals formatted into the
/// text are validated integers (the batch size of <c>IN TRANSACTIONS</c>). Texts are compacted to one line.
/// </summary>
/// <remarks>
/// Graph model: <c>(:Repository {name})</c>; <c>(:File {repo, path, …manifest…})</c>; <c>(:File)-[:DECLARES]-&gt;(:Symbol {repo, path, qname})</c>;
/// <c>(:Symbol)-[:NAMED]-&gt;(:Name {value})</c>; late-bound references <c>(caller)-[:CALLS_NAME]-&gt;(:Name)</c>,
/// <c>(:File)-[:IMPORTS]-&gt;(:Name {value: module})</c>, <c>(type)-[:INHERITS_NAME]-&gt;(:Name)</c>, where caller/type is the
/// declaring symbol or, for top-level code, the file. File nodes carry the same row properties as symbols
/// (<c>qname ''</c>, <c>kind 'Module'</c>, lines 1..last) so both project the same way.
/// </remarks>
internal static partial class Cypher
{
    public static readonly string[] Schema =
    [
        "CREATE CONSTRAINT cgr_repository_name IF NOT EXISTS FOR (r:Repository) REQUIRE r.name IS UNIQUE",
        "CREATE CONSTRAINT cgr_file_key IF NOT EXISTS FOR (f:File) REQUIRE (f.repo, f.path) IS UNIQUE",
        "CREATE CONSTRAINT cgr_symbol_key IF NOT EXISTS FOR (s:Symbol) REQUIRE (s.repo, s.path, s.qname) IS UNIQUE",
        "CREATE CONSTRAINT cgr_name_value IF NOT EXISTS FOR (n:Name) REQUIRE n.value IS UNIQUE",
        "CREATE INDEX cgr_file_repo IF NOT EXISTS FOR (f:File) ON (f.repo)",
        "CREATE INDEX cgr_symbol_repo IF NOT EXISTS FOR (s:Symbol) ON (s.repo)",
        "CREATE INDEX cgr_symbol_qname IF NOT EXISTS FOR (s:Symbol) ON (s.qname)",
        "CREATE TEXT INDEX cgr_file_path_text IF NOT EXISTS FOR (f:File) ON (f.path)",
    ];

    // ---- write side ---------------------------------------------------------------------------------------------

    private const string SymbolsBody =
        """
        UNWIND $symbols AS row
        MERGE (s:Symbol {repo: f.repo, path: f.path, qname: row.qname})
        SET s += row
        MERGE (f)-[:DECLARES]->(s)
        MERGE (nm:Name {value: row.name})
        MERGE (s)-[:NAMED]->(nm)
        """;

    private const string CallsBody =
        """
        UNWIND $calls AS row
        OPTIONAL MATCH (s:Symbol {repo: f.repo, path: f.path, qname: row.caller})
        WITH f, row, coalesce(s, f) AS caller
        MERGE (nm:Name {value: row.name})
        CREATE (caller)-[c:CALLS_NAME]->(nm)
        SET c += row
        """;

    private const string ImportsBody =
        """
        UNWIND $imports AS row
        MERGE (nm:Name {value: row.module})
        CREATE (f)-[i:IMPORTS]->(nm)
        SET i += row
        """;

    private const string InheritanceBody =
        """
        UNWIND $inheritance AS row
        OPTIONAL MATCH (s:Symbol {repo: f.repo, path: f.path, qname: row.type})
        WITH f, row, coalesce(s, f) AS owner
        MERGE (nm:Name {value: row.baseName})
        CREATE (owner)-[h:INHERITS_NAME]->(nm)
        SET h += row
        """;

    /// <summary>
    /// Writes the manifest entry, deletes the file's symbols and outgoing references, and merges the new ones
    /// (parameters: repo, path, file, symbols, calls, imports, inheritance).
    /// </summary>
    public static readonly string ReplaceFile = Compact(
        $$"""
        MERGE (f:File {repo: $repo, path: $path})
        SET f += $file
        WITH f
        CALL { WITH f OPTIONAL MATCH (f)-[:DECLARES]->(old:Symbol) DETACH DELETE old }
        CALL { WITH f OPTIONAL MATCH (f)-[old:CALLS_NAME|IMPORTS|INHERITS_NAME]->() DELETE old }
        CALL { WITH f {{SymbolsBody}} }
        CALL { WITH f {{CallsBody}} }
        CALL { WITH f {{ImportsBody}} }
        CALL { WITH f {{InheritanceBody}} }
        RETURN f.path AS path, 1 AS ok
        """);

    /// <summary>A further batch of a large file's symbols (parameters: repo, path, symbols).</summary>
    public static readonly string AddSymbols = AddBatch(SymbolsBody);

    /// <summary>A further batch of calls (parameters: repo, path, calls).</summary>
    public static readonly string AddCalls = AddBatch(CallsBody);

    /// <summary>A further batch of imports (parameters: repo, path, imports).</summary>
    public static readonly string AddImports = AddBatch(ImportsBody);

    /// <summary>A further batch of inheritance facts (parameters: repo, path, inheritance).</summary>
    public static readonly string AddInheritance = AddBatch(InheritanceBody);

    /// <summary>Deletes files with their symbols and references (parameters: repo, paths).</summary>
    public static readonly string RemoveFiles = Compact(
        """
        UNWIND $paths AS p
        MATCH (f:File {repo: $repo, path: p})
        CALL { WITH f OPTIONAL MATCH (f)-[:DECLARES]->(old:Symbol) DETACH DELETE old }
        DETACH DELETE f
        RETURN count(*) AS files, 1 AS ok
        """);

    /// <summary>Repository removal in auto-committed batches: symbols, then files, then the repository node last.</summary>
    public static string[] RemoveRepository(int batchSize) =>
    [
        $"MATCH (s:Symbol {{repo: $repo}}) CALL {{ WITH s DETACH DELETE s }} IN TRANSACTIONS OF {batchSize} ROWS",
        $"MATCH (f:File {{repo: $repo}}) CALL {{ WITH f DETACH DELETE f }} IN TRANSACTIONS OF {batchSize} ROWS",
        "MATCH (r:Repository {name: $repo}) DETACH DELETE r",
    ];

    // ---- catalog ------------------------------------------------------------------------------------------------

    public const string UpsertRepository =
        "MERGE (r:Repository {name: $name}) SET r += $properties RETURN r.name AS name, 1 AS ok";

    private const string RepositoryColumns =
        "r.name AS name, r.source AS source, r.revision AS revision, r.lastSyncStarted AS lastSyncStarted, r.lastSyncCompleted AS lastSyncCompleted, r.readGroups AS readGroups";

    public const string GetRepository = "MATCH (r:Repository {name: $name}) RETURN " + RepositoryColumns;

    public const string ListRepositories = "MATCH (r:Repository) RETURN " + RepositoryColumns + " ORDER BY name";

    private const string FileColumns =
        "f.path AS path, f.language AS language, f.contentHash AS contentHash, f.size AS size, f.pipelineVersion AS pipelineVersion, f.status AS status, f.reason AS reason, f.chunkCount AS chunkCount, f.class AS class";

    /// <summary>Definitions by simple name: per name at most <c>$limit</c>, ordered by repository, path, qualified name.</summary>
    public const string FindDefinitions =
        """
        UNWIND $names AS n
        CALL {
            WITH n
            MATCH (:Name {value: n})<-[:NAMED]-(s:Symbol)
            WHERE s.qname <> '' AND ($repos IS NULL OR s.repo IN $repos)
            RETURN s ORDER BY s.repo, s.path, s.qname LIMIT $limit
        }
        RETURN n AS name, s.repo AS repo, s.path AS path, s.qname AS qname, s.kind AS kind
        """;

    public const string GetManifest = "MATCH (f:File {repo: $repo}) RETURN " + FileColumns + " ORDER BY path";

    public const string GetFile = "MATCH (f:File {repo: $repo, path: $path}) RETURN " + FileColumns;

    public const string StatsByGroup =
        "MATCH (f:File {repo: $repo}) RETURN f.status AS status, f.reason AS reason, f.language AS language, count(*) AS files, sum(f.chunkCount) AS chunks, sum(f.symbolCount) AS symbols, sum(f.referenceCount) AS refs";

    public static readonly string FailedFiles =
        $"MATCH (f:File {{repo: $repo}}) WHERE f.status = 'Failed' RETURN f.path AS path, coalesce(f.reason, '') AS reason ORDER BY path LIMIT {Constants.MaxFailedFilesInStats}";

    // ---- helpers --------------------------------------------------------------------------------------------------

    /// <summary>One line: runs of whitespace (line breaks and indentation) become one space.</summary>
    public static string Compact(string text) => Whitespace().Replace(text, " ").Trim();

    private static string AddBatch(string body) => Compact(
        $$"""
        MATCH (f:File {repo: $repo, path: $path})
        CALL { WITH f {{body}} }
        RETURN f.path AS path, 1 AS ok
        """);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
