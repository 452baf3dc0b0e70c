using System.Globalization;
using System.Text;

namespace CodeGraphRag.TestInfrastructure;

/// <summary>Locates checked-in fixtures (tests/fixtures) from a test's output directory.</summary>
public static class Fixtures
{
    /// <summary>The repository root (the folder holding CodeGraphRag.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Absolute path of <c>tests/fixtures/&lt;name&gt;</c>.</summary>
    public static string Path(string name) => System.IO.Path.Combine(RepositoryRoot, "tests", "fixtures", name);

    /// <summary>
    /// The server folders a test server may index (<c>CodeGraphRag:Server:AllowedRoots</c>, PATH-separated): the temporary
    /// folder test trees are written to and tests/fixtures.
    /// </summary>
    public static string ServerAllowedRoots { get; } = System.IO.Path.GetTempPath() + System.IO.Path.PathSeparator + System.IO.Path.Combine(RepositoryRoot, "tests", "fixtures");

    /// <summary>Copies a fixture tree into <paramref name="destination"/> (created if needed) and returns it.</summary>
    public static string CopyTo(string name, string destination)
    {
        var source = Path(name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(destination, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return destination;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CodeGraphRag.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CodeGraphRag.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Writes <paramref name="files"/> small Python modules (a function and a class calling it, each) under <paramref name="root"/>.</summary>
    public static string GeneratePythonRepository(string root, int files)
    {
        string[] verbs = ["load", "parse", "render", "store", "merge", "filter", "score", "index"];
        string[] nouns = ["invoice", "user", "report", "order", "session", "token", "query", "graph"];
        for (var i = 0; i < files; i++)
        {
            var verb = verbs[i % verbs.Length];
            var noun = nouns[(i / verbs.Length) % nouns.Length];
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"\"\"\"Module {i}: {verb} {noun} records.\"\"\"\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"def {verb}_{noun}_{i}(items):\n    total = {i}\n    for item in items:\n        total += len(str(item)) * {i % 7 + 1}\n    return total\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"class {char.ToUpperInvariant(noun[0])}{noun[1..]}Handler{i}:\n    def handle(self, request):\n        return {verb}_{noun}_{i}(request.items) + {i}\n");
            var dir = System.IO.Path.Combine(root, $"pkg{i / 20}");
            Directory.CreateDirectory(dir);
            File.WriteAllText(System.IO.Path.Combine(dir, $"module_{i}.py"), sb.ToString());
        }

        return root;
    }
}
