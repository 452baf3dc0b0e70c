using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

/// <summary>One generated repository of the fleet: its files as written, its readers and where it came from.</summary>
/// <param name="Name">Repository name (<c>base-07</c>, <c>fork-03</c>).</param>
/// <param name="Language">python, csharp, typescript or go.</param>
/// <param name="Marker">The token only this repository's own code holds (a fork's copied files still hold its base's).</param>
/// <param name="Groups">The groups that may read it.</param>
/// <param name="Base">The base repository of a fork; null for a base.</param>
/// <param name="Files">Repository-relative path to content.</param>
/// <param name="Changed">A fork's edited and added files; empty for a base.</param>
public sealed record FleetRepository(
    string Name, string Language, string Marker, IReadOnlyList<string> Groups, string? Base, IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Changed)
{
    /// <summary>The name of the function (compute_ab, ComputeAb, computeAb) other repositories of the language call.</summary>
    public required string Compute { get; init; }

    /// <summary>The file that defines <see cref="Compute"/>.</summary>
    public required string ComputeFile { get; init; }

    /// <summary>The repository whose <see cref="Compute"/> function this one's entry point calls (a base of the same language).</summary>
    public required string Calls { get; init; }

    public bool IsFork => Base is not null;
}

/// <summary>
/// A server holding a fleet of 50 small generated repositories: 35 bases in Python, C#, TypeScript and Go whose entry
/// points call into another base of their language (so the graph has cross-repository edges), and 15 forks, each a copy
/// of a base with its entry-point file edited, one file added and one deleted. Every repository defines the common
/// names (main, __init__, Dispose, helper) and holds its own marker token once in each of a few functions. Repositories
/// are readable by one or two of five groups; callers hold one group, two groups, or are admins. Bases are synced
/// first, then forks, and each sync's final progress is kept.
/// </summary>
public sealed class FleetServerFixture : IAsyncLifetime
{
    public const string AdminKey = "fleet-admin-key-0123456789abcdef";
    public const string OneGroupKey = "fleet-one-key-0123456789abcdef";
    public const string TwoGroupsKey = "fleet-two-key-0123456789abcdef";
    public const int Bases = 35;
    public const int Forks = 15;

    public static readonly string[] GroupNames = ["grp-a", "grp-b", "grp-c", "grp-d", "grp-e"];
    public static readonly string[] OneGroup = ["grp-a"];
    public static readonly string[] TwoGroups = ["grp-b", "grp-c"];

    private readonly TempDirectory _trees = new("cgr-fleet");

    internal TestServer Server { get; private set; } = null!;

    /// <summary>Bases, then forks, in sync order.</summary>
    public IReadOnlyList<FleetRepository> Repositories { get; } = Generate();

    /// <summary>Each repository's last sync progress (phase COMPLETED).</summary>
    public Dictionary<string, V1.SyncProgress> Synced { get; } = new(StringComparer.Ordinal);

    /// <summary>The wall time of registering and syncing the fleet.</summary>
    public TimeSpan SyncTime { get; private set; }

    public static Metadata Key(string key) => new() { { "x-api-key", key } };

    public FleetRepository this[string name] => Repositories.Single(r => r.Name == name);

    /// <summary>Where a repository's tree is on disk.</summary>
    public string Tree(string name) => Path.Combine(_trees.Path, name);

    /// <summary>The repositories a caller in <paramref name="groups"/> may read.</summary>
    public HashSet<string> ReadableBy(IReadOnlyCollection<string> groups) =>
        Repositories.Where(r => r.Groups.Any(groups.Contains)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The repositories whose files contain <paramref name="token"/> (as written, so counted from the trees, not the index).</summary>
    public HashSet<string> Holders(string token) =>
        Repositories.Where(r => r.Files.Values.Any(text => text.Contains(token, StringComparison.Ordinal))).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

    public async ValueTask InitializeAsync()
    {
        foreach (var repository in Repositories)
        {
            foreach (var (path, content) in repository.Files)
            {
                _trees.Write(Path.Combine(repository.Name, path), content);
            }
        }

        Server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["CodeGraphRag:Auth:Mode"] = "ApiKey",
            ["CodeGraphRag:Auth:AdminGroup"] = "admins",
            ["CodeGraphRag:Auth:ApiKeys:0:Key"] = AdminKey,
            ["CodeGraphRag:Auth:ApiKeys:0:Principal"] = "ops",
            ["CodeGraphRag:Auth:ApiKeys:0:Groups"] = "admins",
            ["CodeGraphRag:Auth:ApiKeys:1:Key"] = OneGroupKey,
            ["CodeGraphRag:Auth:ApiKeys:1:Principal"] = "olga",
            ["CodeGraphRag:Auth:ApiKeys:1:Groups"] = string.Join(',', OneGroup),
            ["CodeGraphRag:Auth:ApiKeys:2:Key"] = TwoGroupsKey,
            ["CodeGraphRag:Auth:ApiKeys:2:Principal"] = "tom",
            ["CodeGraphRag:Auth:ApiKeys:2:Groups"] = string.Join(',', TwoGroups),
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var admin = Key(AdminKey);

        // CGR: one at a time, bases before forks: a fork's expected embeddings are those its base's did not already put
        // in the embedding cache, which only holds when the base finished first.
        foreach (var repository in Repositories)
        {
            var progress = await Server.RegisterAndSyncAsync(repository.Name, Tree(repository.Name), admin, [.. repository.Groups]);
            var last = progress[^1];
            if (last.Phase != V1.SyncPhase.Completed)
            {
                throw new InvalidOperationException($"sync of {repository.Name} ended {last.Phase}: {last.Error}");
            }

            Synced[repository.Name] = last;
        }

        SyncTime = clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _trees.Dispose();
    }

    /// <summary>Two lower-case letters for an index (aa, ab, ...): markers and names hold letters only, so each stays one lexical term.</summary>
    public static string Letters(int index) => string.Concat((char)('a' + (index / 26)), (char)('a' + (index % 26)));

    private static string Language(int index) => (index % 5) switch
    {
        0 or 1 => "python",
        2 => "csharp",
        3 => "typescript",
        _ => "go",
    };

    private static List<FleetRepository> Generate()
    {
        var bases = new List<FleetRepository>();
        var byLanguage = Enumerable.Range(0, Bases).GroupBy(Language).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        for (var i = 0; i < Bases; i++)
        {
            var language = Language(i);
            var peers = byLanguage[language];
            var callee = peers[(peers.IndexOf(i) + peers.Count - 1) % peers.Count];
            var groups = new List<string> { GroupNames[(i + (i / 5)) % 5] };
            if (i % 4 == 1)
            {
                groups.Add(GroupNames[(i + (i / 5) + 2) % 5]);
            }

            bases.Add(Base(i, language, callee, groups));
        }

        var forks = new List<FleetRepository>();
        for (var k = 0; k < Forks; k++)
        {
            // Base 0 gets two forks (k = 0 and the last), so a name can resolve into three copies of one module.
            var source = bases[k < Forks - 1 ? 2 * k : 0];
            var groups = new List<string> { GroupNames[(k + 2) % 5] };
            if (k % 3 == 0)
            {
                groups.Add(GroupNames[(k + 4) % 5]);
            }

            forks.Add(Fork(k, source, groups));
        }

        return [.. bases, .. forks];
    }

    private static FleetRepository Base(int index, string language, int callee, List<string> groups)
    {
        var l = Letters(index);
        var u = char.ToUpperInvariant(l[0]) + l[1..];
        var p = Letters(callee);
        var pu = char.ToUpperInvariant(p[0]) + p[1..];
        var marker = "fleetmark" + l;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        string compute;
        string computeFile;
        switch (language)
        {
            case "python":
                compute = $"compute_{l}";
                computeFile = $"pkg{l}/core.py";
                files[computeFile] = $$""""
                    """Core of pkg{{l}}: values and the shared helper."""


                    def helper(value):
                        tag = "{{marker}}"
                        return tag + ":" + str(value)


                    def compute_{{l}}(values):
                        """Counts the values of pkg{{l}} after formatting each with the helper."""
                        return len([helper(v) for v in values])


                    class Resource:
                        """A resource of pkg{{l}} that must be released."""

                        def __init__(self, name):
                            self.name = name

                        def dispose(self):
                            self.name = None

                    """";
                files[$"pkg{l}/app.py"] = $$""""
                    from pkg{{l}}.core import Resource, compute_{{l}}, helper
                    from pkg{{p}}.core import compute_{{p}}


                    def main():
                        resource = Resource("main")
                        total = compute_{{l}}([1, 2, 3]) + compute_{{p}}([4])
                        print(helper(total), "{{marker}}")
                        resource.dispose()


                    if __name__ == "__main__":
                        main()

                    """";
                files[$"pkg{l}/extra.py"] = $$""""
                    from pkg{{l}}.core import helper


                    def describe_{{l}}(items):
                        """Describes items with the pkg{{l}} helper and the {{marker}} tag."""
                        return ", ".join(helper(item) for item in items)

                    """";
                break;
            case "csharp":
                compute = $"Compute{u}";
                computeFile = "src/Resource.cs";
                files[computeFile] = $$"""
                    namespace Fleet.Pkg{{u}};

                    public sealed class Resource : System.IDisposable
                    {
                        public static string Helper(string value) => "{{marker}} " + value;

                        public static int Compute{{u}}(int[] values)
                        {
                            return values.Length + Helper("x").Length;
                        }

                        public void Dispose()
                        {
                            System.GC.SuppressFinalize(this);
                        }
                    }

                    """;
                files["src/Program.cs"] = $$"""
                    using Fleet.Pkg{{pu}};

                    namespace Fleet.Pkg{{u}};

                    public static class Program
                    {
                        public static void Main()
                        {
                            using var resource = new Resource();
                            System.Console.WriteLine(Resource.Compute{{u}}([1, 2]) + Resource.Compute{{pu}}([3]) + " {{marker}}");
                        }
                    }

                    """;
                files["src/Extra.cs"] = $$"""
                    namespace Fleet.Pkg{{u}};

                    internal static class Extra
                    {
                        public static string Describe{{u}}(string item) => Resource.Helper(item) + " {{marker}}";
                    }

                    """;
                break;
            case "typescript":
                compute = $"compute{u}";
                computeFile = "src/helper.ts";
                files[computeFile] = $$"""
                    export function helper(value: string): string {
                      return "{{marker}} " + value;
                    }

                    export function compute{{u}}(values: number[]): number {
                      return values.map((v) => helper(String(v))).length;
                    }

                    """;
                files["src/main.ts"] = $$"""
                    import { helper, compute{{u}} } from "./helper";
                    import { compute{{pu}} } from "@fleet/pkg{{p}}/helper";

                    export function main(): void {
                      console.log(helper(String(compute{{u}}([1]) + compute{{pu}}([2]))), "{{marker}}");
                    }

                    """;
                files["src/extra.ts"] = $$"""
                    import { helper } from "./helper";

                    export function describe{{u}}(items: string[]): string {
                      return items.map((item) => helper(item)).join(", ") + " {{marker}}";
                    }

                    """;
                break;
            default:
                compute = $"Compute{u}";
                computeFile = "util/util.go";
                files[computeFile] = $$"""
                    package util

                    // Helper formats one value.
                    func Helper(value string) string {
                    	return "{{marker}} " + value
                    }

                    // Compute{{u}} counts values.
                    func Compute{{u}}(values []int) int {
                    	return len(values) + len(Helper("x"))
                    }

                    """;
                files["main.go"] = $$"""
                    package main

                    import (
                    	"fmt"

                    	"fleet/pkg{{l}}/util"
                    	other "fleet/pkg{{p}}/util"
                    )

                    func main() {
                    	fmt.Println(util.Helper("main"), util.Compute{{u}}([]int{1}), other.Compute{{pu}}([]int{2}), "{{marker}}")
                    }

                    """;
                files["util/extra.go"] = $$"""
                    package util

                    // Describe{{u}} describes items.
                    func Describe{{u}}(items []string) string {
                    	return Helper(items[0]) + " {{marker}}"
                    }

                    """;
                break;
        }

        return new FleetRepository($"base-{index:D2}", language, marker, groups, null, files, [])
        {
            Compute = compute,
            ComputeFile = computeFile,
            Calls = $"base-{callee:D2}",
        };
    }

    /// <summary>A copy of <paramref name="source"/>: its entry point's marker replaced by the fork's, its extra file deleted, a note file added.</summary>
    private static FleetRepository Fork(int index, FleetRepository source, List<string> groups)
    {
        var marker = "forkmark" + Letters(index);
        var files = new Dictionary<string, string>(source.Files, StringComparer.Ordinal);
        var entry = files.Keys.Single(p => Path.GetFileNameWithoutExtension(p) is "app" or "Program" or "main");
        var extra = files.Keys.Single(p => Path.GetFileNameWithoutExtension(p) is "extra" or "Extra");
        var folder = Path.GetDirectoryName(source.ComputeFile)!.Replace('\\', '/');
        var (note, text) = source.Language switch
        {
            "python" => ($"{folder}/note.py", $"def note():\n    return \"{marker}\"\n"),
            "csharp" => ("src/Note.cs", $"namespace Fleet.Note;\n\ninternal static class Note\n{{\n    public static string Text() => \"{marker}\";\n}}\n"),
            "typescript" => ("src/note.ts", $"export function note(): string {{\n  return \"{marker}\";\n}}\n"),
            _ => ("note.go", $"package main\n\nfunc note() string {{\n\treturn \"{marker}\"\n}}\n"),
        };
        files[entry] = files[entry].Replace(source.Marker, marker, StringComparison.Ordinal);
        files.Remove(extra);
        files[note] = text;
        return new FleetRepository($"fork-{index:D2}", source.Language, marker, groups, source.Name, files, [entry, note])
        {
            Compute = source.Compute,
            ComputeFile = source.ComputeFile,
            Calls = source.Calls,
        };
    }
}
