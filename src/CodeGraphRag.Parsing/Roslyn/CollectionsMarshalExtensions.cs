using System.Runtime.InteropServices;

namespace CodeGraphRag.Parsing.Roslyn;

/// <summary>Counting in a dictionary with one lookup.</summary>
internal static class CollectionsMarshalExtensions
{
    /// <summary>Adds one to the count of <paramref name="key"/> (starting from zero) and returns the new count.</summary>
    public static int Increment(Dictionary<string, int> counts, string key)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
        return ++count;
    }
}
