namespace CodeGraphRag.Storage.Neo4j.Internals;

/// <summary>
/// The traversal statements: one per relation, expanding every node of one hop's frontier (<c>$nodes</c>: maps of
/// i, repo, path, qname). Late-bound names are resolved inside the statement with the embedded store's preference
/// order (same file &gt; imported module &gt; same repository &gt; other repositories, then qualifier narrowing, then
/// <c>$maxCandidates</c>), and every match is restricted to <c>$readable</c> repositories, so hidden repositories never
/// leave the database. Each returns rows of (i, neighbours) with neighbours in the embedded store's order.
/// </summary>
internal static partial class Cypher
{
    private const string Readable = "($readable IS NULL OR {0}.repo IN $readable)";

    private const string Projection = "{0} {{.repo, .path, .qname, .name, .kind, .startLine, .endLine, .parent}}";

    private const string Start =
        """
        UNWIND $nodes AS n
        CALL { WITH n
          OPTIONAL MATCH (tf:File {repo: n.repo, path: n.path})
          OPTIONAL MATCH (ts:Symbol {repo: n.repo, path: n.path, qname: n.qname})
          RETURN tf, CASE WHEN n.qname = '' THEN tf ELSE ts END AS t }
        WITH n, tf, t WHERE t IS NOT NULL AND ($readable IS NULL OR t.repo IN $readable)
        """;

    /// <summary>Callees of each node: its calls in line order, each resolved, de-duplicated, capped at <c>$cap</c>.</summary>
    public static readonly string Callees = Compact(
        $"""
        {Start}
        OPTIONAL MATCH (t)-[c:CALLS_NAME]->(nm:Name) WHERE c.caller = n.qname
        WITH n, t, tf, c, nm, {Imports("tf")} AS imps
        {CallCandidates("nm")}
        {Choose("n, t, c", "t.repo", "t.path", "c.segment", "coalesce(c.aliased, [])")}
        WITH n, t, c, targets ORDER BY n.i, c.line, c.ordinal
        WITH n, t, collect(targets) AS perCall
        RETURN n.i AS i, [x IN reduce(acc = [], ts IN perCall | acc + [y IN ts WHERE y <> t AND NOT y IN acc])[..$cap] | {Project("x")}] AS neighbours
        """);

    /// <summary>
    /// Callers of each symbol: call sites of its name (and, for a constructor, its type's name) in readable repositories,
    /// the first <see cref="Constants.MaxCallSitesScanned"/> in path order, kept when the site's own resolution reaches
    /// the symbol (or, for a type, one of its constructors).
    /// </summary>
    public static readonly string Callers = Compact(
        $$"""
        {{Start}}
        WITH n, t WHERE t.qname <> ''
        WITH n, t, CASE WHEN t.kind = 'Constructor' AND t.parentSimple IS NOT NULL AND t.parentSimple <> t.name THEN [t.name, t.parentSimple] ELSE [t.name] END AS names
        CALL { WITH names
          UNWIND names AS nv
          MATCH (nm:Name {value: nv})
          {{CallCandidates("nm")}}
          RETURN collect({value: nv, cands: cands}) AS byName }
        CALL { WITH names
          UNWIND names AS nv
          MATCH (:Name {value: nv})<-[c:CALLS_NAME]-(src) WHERE {{string.Format(null, Readable, "src")}}
          WITH c, src ORDER BY src.repo, src.path, c.line, c.ordinal LIMIT {{Constants.MaxCallSitesScanned}}
          RETURN c, src }
        MATCH (sf:File {repo: src.repo, path: src.path})
        WITH n, t, c, src, [e IN byName WHERE e.value = endNode(c).value][0].cands AS cands, {{Imports("sf")}} AS imps
        {{Choose("n, t, c, src", "src.repo", "src.path", "c.segment", "coalesce(c.aliased, [])")}}
        WITH n, t, c, src, targets
        WHERE src <> t AND any(x IN targets WHERE x = t OR (t.kind IN $typeKinds AND x.kind = 'Constructor' AND x.repo = t.repo AND x.path = t.path AND x.parent = t.qname))
        WITH n, t, c, src ORDER BY n.i, src.repo, src.path, c.line, c.ordinal
        WITH n, t, collect(src) AS srcs
        RETURN n.i AS i, [x IN reduce(acc = [], s IN srcs | CASE WHEN s IN acc THEN acc ELSE acc + s END)[..$cap] | {{Project("x")}}] AS neighbours
        """);

    /// <summary>The enclosing symbol.</summary>
    public static readonly string Parent = Compact(
        $$"""
        {{Start}}
        WITH n, t WHERE t.parent IS NOT NULL AND t.parent <> ''
        MATCH (p:Symbol {repo: t.repo, path: t.path, qname: t.parent})
        RETURN n.i AS i, [{{Project("p")}}] AS neighbours
        """);

    /// <summary>
    /// Files each node's file imports: per import (in order) the files its module names, by path (relative imports
    /// within the repository) and by qualified-name prefix. Neighbours here is a list per import; the caller caps it.
    /// </summary>
    public static readonly string ImportedFiles = Compact(
        $$"""
        {{Start}}
        MATCH (tf)-[im:IMPORTS]->()
        WITH n, t, im
        CALL { WITH t, im
          MATCH (f:File) WHERE im.relative AND f.repo = t.repo AND f.path STARTS WITH im.norm AND {{Matches("im", "f", "t.repo", false)}}
          WITH t, f ORDER BY f.path
          RETURN collect(f) AS relativeFiles }
        CALL { WITH t, im
          MATCH (f:File) WHERE NOT im.relative AND im.norm <> '' AND f.path CONTAINS im.norm AND {{string.Format(null, Readable, "f")}} AND {{Matches("im", "f", "t.repo", false)}}
          WITH t, f ORDER BY (f.repo = t.repo) DESC, f.repo, f.path
          RETURN collect(f) AS pathFiles }
        CALL { WITH t, im
          MATCH (s:Symbol) WHERE NOT im.relative AND im.norm <> '' AND s.qname STARTS WITH im.qprefix AND {{string.Format(null, Readable, "s")}}
          WITH DISTINCT t, s.repo AS repo, s.path AS path
          ORDER BY (repo = t.repo) DESC, repo, path LIMIT {{Constants.MaxFilesPerImportPrefix}}
          MATCH (g:File {repo: repo, path: path})
          WITH t, g ORDER BY (g.repo = t.repo) DESC, g.repo, g.path
          RETURN collect(g) AS prefixFiles }
        WITH n, t, im, relativeFiles + pathFiles + prefixFiles AS found ORDER BY n.i, im.ordinal
        WITH n, t, collect([x IN found | {{Project("x")}}]) AS perImport
        RETURN n.i AS i, perImport AS neighbours
        """);

    /// <summary>Base types: each inheritance fact of the node resolved by type name (no constructor expansion, no qualifier).</summary>
    public static readonly string BaseTypes = Compact(
        $"""
        {Start}
        MATCH (t)-[h:INHERITS_NAME]->(nm:Name) WHERE h.type = t.qname
        WITH n, t, tf, h, nm, {Imports("tf")} AS imps
        {TypeCandidates("nm")}
        {Choose("n, t, h", "t.repo", "t.path", "null", "[]")}
        WITH n, t, h, targets ORDER BY n.i, h.ordinal
        WITH n, t, collect(targets) AS perBase
        RETURN n.i AS i, [x IN reduce(acc = [], ts IN perBase | acc + [y IN ts WHERE y <> t AND NOT y IN acc])[..$cap] | {Project("x")}] AS neighbours
        """);

    /// <summary>Derived types: types whose base name is the node's name and whose own resolution of it reaches the node.</summary>
    public static readonly string DerivedTypes = Compact(
        $$"""
        {{Start}}
        WITH n, t WHERE t.kind IN $typeKinds
        MATCH (nm:Name {value: t.name})
        {{TypeCandidates("nm")}}
        MATCH (nm)<-[h:INHERITS_NAME]-(src:Symbol) WHERE {{string.Format(null, Readable, "src")}}
        MATCH (sf:File {repo: src.repo, path: src.path})
        WITH n, t, h, src, cands, {{Imports("sf")}} AS imps
        {{Choose("n, t, h, src", "src.repo", "src.path", "null", "[]")}}
        WITH n, t, h, src, targets WHERE src <> t AND t IN targets
        WITH n, t, h, src ORDER BY n.i, src.repo, src.path, h.ordinal
        WITH n, t, collect(src) AS srcs
        RETURN n.i AS i, [x IN reduce(acc = [], s IN srcs | CASE WHEN s IN acc THEN acc ELSE acc + s END)[..$cap] | {{Project("x")}}] AS neighbours
        """);

    private static string Project(string variable) => string.Format(null, Projection, variable);

    private static string Imports(string file) =>
        $"[({file})-[im:IMPORTS]->() | im {{.ordinal, .norm, .relative, .slashNorm, .normIndex, .normInit, .qprefix}}]";

    /// <summary>
    /// Call targets named by <paramref name="name"/> in readable repositories, ordered by repository, path and qualified
    /// name, with a class/struct/record replaced by its constructors when it declares any (sets <c>cands</c>).
    /// </summary>
    private static string CallCandidates(string name) =>
        $$"""
        CALL { WITH {{name}}
          MATCH ({{name}})<-[:NAMED]-(d:Symbol) WHERE d.kind IN $callKinds AND {{string.Format(null, Readable, "d")}}
          CALL { WITH d
            OPTIONAL MATCH (d)<-[:DECLARES]-(:File)-[:DECLARES]->(k:Symbol {kind: 'Constructor'})
            WHERE d.kind IN $constructibleKinds AND k.parent = d.qname
            WITH k ORDER BY k.qname
            RETURN collect(k) AS ctors }
          WITH d, ctors ORDER BY d.repo, d.path, d.qname
          WITH collect(CASE WHEN size(ctors) > 0 THEN ctors ELSE [d] END) AS groups
          RETURN reduce(acc = [], g IN groups | acc + [x IN g WHERE NOT x IN acc]) AS cands }
        """;

    /// <summary>Type definitions named by <paramref name="name"/> in readable repositories (sets <c>cands</c>).</summary>
    private static string TypeCandidates(string name) =>
        $$"""
        CALL { WITH {{name}}
          MATCH ({{name}})<-[:NAMED]-(d:Symbol) WHERE d.kind IN $baseKinds AND {{string.Format(null, Readable, "d")}}
          WITH d ORDER BY d.repo, d.path, d.qname
          RETURN collect(d) AS cands }
        """;

    /// <summary>
    /// The embedded store's Choose: from <c>cands</c> keep the same file's; else those an import of the file names
    /// (this repository's when any); else this repository's; else all. A qualifier then narrows to candidates whose
    /// parent's simple name is its last segment or that an import it names reaches; more than <c>$maxCandidates</c>
    /// left means unresolved. Sets <c>targets</c> and keeps <paramref name="carry"/>.
    /// </summary>
    private static string Choose(string carry, string fromRepo, string fromPath, string segment, string aliased) =>
        $"""
        WITH {carry}, cands, imps, {segment} AS seg, {aliased} AS aliased, {fromRepo} AS fromRepo, {fromPath} AS fromPath
        WITH {carry}, cands, imps, seg, aliased, fromRepo,
          [x IN cands WHERE x.repo = fromRepo AND x.path = fromPath] AS sameFile,
          [x IN cands WHERE any(im IN imps WHERE {Matches("im", "x", "fromRepo", true)})] AS imported
        WITH {carry}, imps, seg, aliased, fromRepo, CASE
          WHEN size(sameFile) > 0 THEN sameFile
          WHEN any(x IN imported WHERE x.repo = fromRepo) THEN [x IN imported WHERE x.repo = fromRepo]
          WHEN size(imported) > 0 THEN imported
          WHEN any(x IN cands WHERE x.repo = fromRepo) THEN [x IN cands WHERE x.repo = fromRepo]
          ELSE cands END AS chosen
        WITH {carry}, chosen, CASE WHEN seg IS NULL OR size(chosen) <= 1 THEN [] ELSE
          [x IN chosen WHERE x.parentSimpleLower = seg OR any(im IN imps WHERE im.ordinal IN aliased AND {Matches("im", "x", "fromRepo", true)})] END AS narrowed
        WITH {carry}, CASE WHEN size(narrowed) > 0 THEN narrowed ELSE chosen END AS kept
        WITH {carry}, CASE WHEN size(kept) > $maxCandidates THEN [] ELSE kept END AS targets
        """;

    /// <summary>
    /// Whether import <paramref name="import"/> (normalised at write time) names the file of <paramref name="candidate"/>:
    /// the Cypher form of the embedded store's ModulePaths.Matches over the stored stem (path without extension) and folder.
    /// </summary>
    private static string Matches(string import, string candidate, string fromRepo, bool withQualifiedName) =>
        $"(CASE WHEN {import}.relative THEN {candidate}.repo = {fromRepo} AND ({candidate}.stem = {import}.norm OR {candidate}.stem = {import}.normIndex "
        + $"OR {candidate}.stem = {import}.normInit OR {candidate}.folder = {import}.norm) "
        + $"WHEN {import}.norm = '' THEN false "
        + $"ELSE {candidate}.stem = {import}.norm OR {candidate}.stem ENDS WITH {import}.slashNorm "
        + (withQualifiedName ? $"OR {candidate}.qname STARTS WITH {import}.qprefix " : string.Empty)
        + $"OR ({candidate}.folder <> '' AND ({candidate}.folder = {import}.norm OR {candidate}.folder ENDS WITH {import}.slashNorm "
        + $"OR {import}.norm ENDS WITH '/' + {candidate}.folder)) END)";
}
