using CodeGraphRag.Abstractions.Search;
using Grpc.Core;

namespace CodeGraphRag.Api.Services;

/// <summary>The input limits of the proto header; violations are INVALID_ARGUMENT naming the field.</summary>
internal static class RequestLimits
{
    public const int MaxQueryLength = SearchLimits.MaxQueryLength;
    public const int DefaultTopK = SearchLimits.DefaultTop;
    public const int MaxTopK = SearchLimits.MaxTop;
    public const int DefaultDepth = 1;
    public const int MaxDepth = SearchLimits.MaxDepth;
    public const int DefaultMaxPerRelation = 20;
    public const int MaxMaxPerRelation = 200;
    public const int MinTokenBudget = SearchLimits.MinTokenBudget;
    public const int DefaultTokenBudget = SearchLimits.DefaultTokenBudget;
    public const int MaxTokenBudget = SearchLimits.MaxTokenBudget;
    public const int MaxNameLength = 512;
    public const int MaxCommentLength = 2_000;
    public const int MaxListLength = 100;

    public static RpcException Invalid(string field, string problem)
        => new(new Status(StatusCode.InvalidArgument, $"{field}: {problem}"));

    public static RpcException NotFound(string what) => new(new Status(StatusCode.NotFound, what));

    public static string Query(string? query, string field = "query")
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw Invalid(field, "is empty");
        }

        return query.Length > MaxQueryLength ? throw Invalid(field, $"is {query.Length} characters; the limit is {MaxQueryLength}") : query;
    }

    /// <summary>0 gives <paramref name="fallback"/>; otherwise the value must be in 1..<paramref name="max"/>.</summary>
    public static int Range(int value, int fallback, int max, string field)
    {
        if (value == 0)
        {
            return fallback;
        }

        return value < 1 || value > max ? throw Invalid(field, $"is {value}; it must be between 1 and {max}") : value;
    }

    public static string RepositoryName(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid(field, "is empty");
        }

        if (name.Length > MaxNameLength)
        {
            throw Invalid(field, $"is {name.Length} characters; the limit is {MaxNameLength}");
        }

        return name.Any(char.IsControl) ? throw Invalid(field, "contains control characters") : name;
    }

    public static IReadOnlyList<string> Names(IReadOnlyList<string> names, string field)
    {
        if (names.Count > MaxListLength)
        {
            throw Invalid(field, $"lists {names.Count} entries; the limit is {MaxListLength}");
        }

        for (var i = 0; i < names.Count; i++)
        {
            RepositoryName(names[i], $"{field}[{i}]");
        }

        return names;
    }

    public static string? Optional(string? value, int max, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return value.Length > max ? throw Invalid(field, $"is {value.Length} characters; the limit is {max}") : value;
    }
}
