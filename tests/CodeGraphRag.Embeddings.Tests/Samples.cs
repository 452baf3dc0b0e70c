namespace CodeGraphRag.Embeddings.Tests;

internal static class Samples
{
    public static readonly string[] Sentences =
    [
        "def add(a, b): return a + b",
        "function that sums two numbers",
        "The weather in Lisbon is sunny today.",
        "class HttpClientFactory { public HttpClient Create() => new(); }",
        "Parse the configuration file and return a dictionary of settings.",
    ];

    /// <summary>Texts from a few tokens to a few hundred, in no particular order of length.</summary>
    public static string[] MixedLengths()
    {
        var block = string.Join('\n', Enumerable.Range(0, 40).Select(i => $"    total_{i} = compute(values[{i}], weight={i})"));
        return
        [
            "def read_config(path):\n    with open(path) as f:\n        return json.load(f)",
            "x",
            block,
            "import os\nimport sys\n\nprint(sys.argv)",
            block[..(block.Length / 3)],
            "public sealed record Point(int X, int Y);",
            string.Join(' ', Enumerable.Repeat("retry the request with exponential backoff", 12)),
            "",
            "SELECT name FROM users WHERE id = ?",
            block[..(block.Length / 2)],
            "async function fetchAll(urls) { return Promise.all(urls.map(u => fetch(u))); }",
        ];
    }
}
