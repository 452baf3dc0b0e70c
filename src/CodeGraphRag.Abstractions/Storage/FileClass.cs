namespace CodeGraphRag.Abstractions.Storage;

/// <summary>
/// What a file is for, decided at index time from its path and content and stored with the file and each of its chunks.
/// Ranking scores each class by the query's intent (code first unless the question asks for another class), and
/// searches can filter by it (<c>kind:code</c>, <c>-kind:test</c>).
/// </summary>
/// <remarks>Stored and exchanged by the lower-case names of <see cref="FileClasses"/>; the numeric values are not persisted.</remarks>
public enum FileClass
{
    /// <summary>Source code of the product itself.</summary>
    Code,
    /// <summary>Tests, test fixtures and test helpers.</summary>
    Test,
    /// <summary>Prose: READMEs, guides, reference docs, licences.</summary>
    Docs,
    /// <summary>Changelogs, release notes and their fragments.</summary>
    Changelog,
    /// <summary>CI workflows, build and package manifests, lock files, editor and lint settings, container and deployment files.</summary>
    Config,
    /// <summary>Generated code that was not skipped (no generated header in its first lines).</summary>
    Generated,
    /// <summary>Examples, samples and demos (code in a docs folder included).</summary>
    Example,
    /// <summary>Benchmarks and performance harnesses.</summary>
    Benchmark,
}
