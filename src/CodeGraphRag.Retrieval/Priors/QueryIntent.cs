using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Priors;

/// <summary>Which file classes a question asks for by its words. Thread-safe.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>tests: test, tests, testing, spec, specs, unittest, unittests;</item>
/// <item>docs: docs, doc, documentation, documented, readme, guide, manual;</item>
/// <item>changelog: changelog, changelogs, whatsnew, "release notes", "release note", "what changed";</item>
/// <item>config: ci, workflow, workflows, dockerfile, makefile, manifest, lockfile, yaml, yml, csproj, pyproject, tsconfig,
/// "config file", "configuration file", "github actions", "build settings", "lint settings";</item>
/// <item>examples: example, examples, sample, samples, demo, demos (not "for example");</item>
/// <item>benchmarks: benchmark, benchmarks, bench; generated code: generated.</item>
/// </list>
/// Runs of letters are matched whole, any case: <c>test_tokens.py</c> asks for tests, <c>TestRunner</c> and <c>latest</c> do not.
/// </remarks>
public static class QueryIntent
{
    private static readonly Dictionary<string, FileClass> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["test"] = FileClass.Test, ["tests"] = FileClass.Test, ["testing"] = FileClass.Test, ["spec"] = FileClass.Test,
        ["specs"] = FileClass.Test, ["unittest"] = FileClass.Test, ["unittests"] = FileClass.Test,
        ["docs"] = FileClass.Docs, ["doc"] = FileClass.Docs, ["documentation"] = FileClass.Docs, ["documented"] = FileClass.Docs,
        ["readme"] = FileClass.Docs, ["guide"] = FileClass.Docs, ["manual"] = FileClass.Docs,
        ["changelog"] = FileClass.Changelog, ["changelogs"] = FileClass.Changelog, ["whatsnew"] = FileClass.Changelog,
        ["ci"] = FileClass.Config, ["workflow"] = FileClass.Config, ["workflows"] = FileClass.Config, ["dockerfile"] = FileClass.Config,
        ["makefile"] = FileClass.Config, ["manifest"] = FileClass.Config, ["lockfile"] = FileClass.Config, ["yaml"] = FileClass.Config,
        ["yml"] = FileClass.Config, ["csproj"] = FileClass.Config, ["pyproject"] = FileClass.Config, ["tsconfig"] = FileClass.Config,
        ["example"] = FileClass.Example, ["examples"] = FileClass.Example, ["sample"] = FileClass.Example, ["samples"] = FileClass.Example,
        ["demo"] = FileClass.Example, ["demos"] = FileClass.Example,
        ["benchmark"] = FileClass.Benchmark, ["benchmarks"] = FileClass.Benchmark, ["bench"] = FileClass.Benchmark,
        ["generated"] = FileClass.Generated,
    };

    private static readonly Dictionary<(string, string), FileClass> Pairs = new()
    {
        [("release", "notes")] = FileClass.Changelog, [("release", "note")] = FileClass.Changelog, [("what", "changed")] = FileClass.Changelog,
        [("config", "file")] = FileClass.Config, [("config", "files")] = FileClass.Config, [("configuration", "file")] = FileClass.Config,
        [("configuration", "files")] = FileClass.Config, [("github", "actions")] = FileClass.Config, [("build", "settings")] = FileClass.Config,
        [("lint", "settings")] = FileClass.Config,
    };

    /// <summary>The classes <paramref name="query"/> asks for, in order of first mention; empty when it asks for none (code).</summary>
    public static IReadOnlyList<FileClass> Detect(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = Tokenize(query);
        var result = new List<FileClass>();
        for (var i = 0; i < words.Count; i++)
        {
            FileClass found;
            if (i + 1 < words.Count && Pairs.TryGetValue((words[i], words[i + 1]), out found))
            {
                Add(result, found);
                continue;
            }

            if (!Words.TryGetValue(words[i], out found))
            {
                continue;
            }

            // "for example" is a figure of speech, not a request for example code.
            if (found == FileClass.Example && i > 0 && words[i - 1] == "for")
            {
                continue;
            }

            Add(result, found);
        }

        return result;
    }

    /// <summary>Whether <paramref name="query"/> asks for tests.</summary>
    public static bool AsksForTests(string query) => Detect(query).Contains(FileClass.Test);

    private static void Add(List<FileClass> result, FileClass value)
    {
        if (!result.Contains(value))
        {
            result.Add(value);
        }
    }

    /// <summary>The query's runs of letters, lower-cased (<c>test_tokens.py</c> is test, tokens, py; <c>TestRunner</c> one word).</summary>
    private static List<string> Tokenize(string query)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= query.Length; i++)
        {
            var letter = i < query.Length && char.IsLetter(query[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                words.Add(query[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return words;
    }
}
