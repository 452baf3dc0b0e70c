namespace CodeGraphRag.Abstractions.Storage;

/// <summary>An import normalised once by <see cref="ModulePaths.Prepare"/> for many matches against candidate files.</summary>
/// <param name="Normalized">The module as a path-like form.</param>
/// <param name="Relative">Whether the import is relative to the importing file.</param>
/// <param name="QualifiedPrefix">For absolute imports: the module text followed by a dot, as a qualified-name prefix.</param>
/// <param name="RelativeIndex">For relative imports: the folder's <c>index</c> module.</param>
/// <param name="RelativeInit">For relative imports: the folder's <c>__init__</c> module.</param>
public sealed record ImportTarget(string Normalized, bool Relative, string QualifiedPrefix, string RelativeIndex, string RelativeInit);
