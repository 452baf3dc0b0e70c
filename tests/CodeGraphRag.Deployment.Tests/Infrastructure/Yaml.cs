using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CodeGraphRag.Deployment.Tests.Infrastructure;

/// <summary>
/// Loads YAML into plain values: mappings become <see cref="Dictionary{TKey,TValue}"/> (string keys), sequences
/// <see cref="List{T}"/>, plain scalars are typed as YAML 1.2 core (null, bool, long, double, else string) and quoted
/// scalars stay strings. Aliases resolve to their anchors and merge keys (<c>&lt;&lt;: *anchor</c>) are applied, the way
/// docker compose reads them.
/// </summary>
internal static partial class Yaml
{
    public static IReadOnlyList<object?> LoadAll(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path)))
        {
            stream.Load(reader);
        }

        return stream.Documents.Select(d => Convert(d.RootNode)).Where(d => d is not null).ToList();
    }

    public static Dictionary<string, object?> LoadSingle(string path)
    {
        var documents = LoadAll(path);
        Assert.True(documents.Count == 1, $"{path}: expected one YAML document, found {documents.Count}.");
        return Map(documents[0], path);
    }

    /// <summary>The mapping at <paramref name="value"/>; fails the test with <paramref name="where"/> otherwise.</summary>
    public static Dictionary<string, object?> Map(object? value, string where) =>
        value as Dictionary<string, object?> ?? throw new Xunit.Sdk.XunitException($"{where}: expected a mapping, found {Describe(value)}.");

    public static List<object?> Seq(object? value, string where) =>
        value as List<object?> ?? throw new Xunit.Sdk.XunitException($"{where}: expected a sequence, found {Describe(value)}.");

    /// <summary>Follows mapping keys; null when a key is missing.</summary>
    public static object? At(object? value, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (value is not Dictionary<string, object?> map || !map.TryGetValue(key, out value))
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>A scalar's text as YAML wrote it (numbers and booleans in invariant form); null for null.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => throw new Xunit.Sdk.XunitException($"expected a scalar, found {Describe(value)}."),
    };

    /// <summary>Structural equality where scalars compare by <see cref="Text"/> and an empty mapping equals null.</summary>
    public static bool DeepEquals(object? left, object? right)
    {
        if (IsEmpty(left) && IsEmpty(right))
        {
            return true;
        }

        return (left, right) switch
        {
            (Dictionary<string, object?> a, Dictionary<string, object?> b) =>
                a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && DeepEquals(kv.Value, other)),
            (List<object?> a, List<object?> b) => a.Count == b.Count && a.Zip(b).All(p => DeepEquals(p.First, p.Second)),
            (Dictionary<string, object?>, _) or (_, Dictionary<string, object?>) or (List<object?>, _) or (_, List<object?>) => false,
            _ => Text(left) == Text(right),
        };
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        Dictionary<string, object?> m => $"a mapping {{{string.Join(", ", m.Keys)}}}",
        List<object?> s => $"a sequence of {s.Count}",
        _ => $"'{Text(value)}'",
    };

    private static bool IsEmpty(object? value) =>
        value is null || value is Dictionary<string, object?> { Count: 0 } || value is List<object?> { Count: 0 };

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static Dictionary<string, object?> ConvertMapping(YamlMappingNode mapping)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var merged = new List<Dictionary<string, object?>>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (key == "<<" && keyNode is YamlScalarNode { Style: ScalarStyle.Plain })
            {
                var source = Convert(valueNode);
                merged.AddRange(source is List<object?> list ? list.Cast<Dictionary<string, object?>>() : [(Dictionary<string, object?>)source!]);
                continue;
            }

            Assert.False(result.ContainsKey(key), $"duplicate key '{key}' at {keyNode.Start}");
            result[key] = Convert(valueNode);
        }

        // Explicit keys win over merged ones; earlier merge sources win over later ones (YAML merge key semantics).
        foreach (var source in merged)
        {
            foreach (var (key, value) in source)
            {
                result.TryAdd(key, value);
            }
        }

        return result;
    }

    private static object? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return text;
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (text is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (IntegerPattern().IsMatch(text))
        {
            return long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        if (FloatPattern().IsMatch(text))
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return text;
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
