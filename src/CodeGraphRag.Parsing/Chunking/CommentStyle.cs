using CodeGraphRag.Parsing.Languages;

namespace CodeGraphRag.Parsing.Chunking;

/// <summary>Recognises comment (and decorator) lines that belong to the declaration below them.</summary>
internal static class CommentStyle
{
    private static readonly string[] CLike = ["//", "/*", "*"];
    private static readonly string[] Hash = ["#"];
    private static readonly string[] HashAndDecorators = ["#", "@"];
    private static readonly string[] CLikeAndDecorators = ["//", "/*", "*", "@"];
    private static readonly string[] Rust = ["//", "/*", "*", "#["];
    private static readonly string[] Php = ["//", "/*", "*", "#"];
    private static readonly string[] DoubleDash = ["--"];

    public static string[] PrefixesFor(string language) => language switch
    {
        LanguageIds.Python => HashAndDecorators,
        LanguageIds.Ruby or LanguageIds.Shell or LanguageIds.PowerShell or LanguageIds.Makefile or LanguageIds.Dockerfile
            or LanguageIds.CMake or LanguageIds.Yaml or LanguageIds.Toml or LanguageIds.DotEnv => Hash,
        LanguageIds.Php => Php,
        LanguageIds.Rust => Rust,
        LanguageIds.Java or LanguageIds.Kotlin or LanguageIds.JavaScript or LanguageIds.TypeScript or LanguageIds.Tsx
            or LanguageIds.Scala or LanguageIds.Swift => CLikeAndDecorators,
        LanguageIds.Lua or LanguageIds.Sql => DoubleDash,
        _ => CLike,
    };

    public static bool IsComment(ReadOnlySpan<char> line, string[] prefixes)
    {
        var trimmed = line.TrimStart();
        foreach (var prefix in prefixes)
        {
            if (trimmed.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for closing-only lines (<c>}</c>, <c>});</c>, <c>end</c>, <c>#endregion</c>) that make no sense as a chunk of their own.</summary>
    public static bool IsClosingOnly(ReadOnlySpan<char> line)
    {
        var trimmed = line.Trim();
        if (trimmed.IsEmpty)
        {
            return true;
        }

        if (trimmed.SequenceEqual("end") || trimmed.StartsWith("#end", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var c in trimmed)
        {
            if (c is not ('}' or ')' or ']' or ';' or ',' or ' ' or '\t'))
            {
                return false;
            }
        }

        return true;
    }
}
