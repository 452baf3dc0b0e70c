using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Sources;

namespace CodeGraphRag.Cli.Commands;

/// <summary>One repository of a benchmark fleet: its name, the tree it is indexed from and the base it forks (null for a base).</summary>
/// <param name="Name">Repository name.</param>
/// <param name="Tree">The folder written for it under the fleet's work folder.</param>
/// <param name="Origin">Where its files came from (a package folder, or the base's origin for a fork).</param>
/// <param name="ForkOf">The base repository's name for a fork, else null.</param>
/// <param name="Files">Relative paths of its files, sorted.</param>
internal sealed record FleetRepository(string Name, string Tree, string Origin, string? ForkOf, IReadOnlyList<string> Files);

/// <summary>A built fleet: its repositories (bases first, then forks), how it was made, and whether the trees on disk were reused.</summary>
internal sealed record Fleet(IReadOnlyList<FleetRepository> Repositories, string Description, bool TreesReused)
{
    /// <summary>The forks among <see cref="Repositories"/>.</summary>
    public int Forks => Repositories.Count(r => r.ForkOf is not null);
}

/// <summary>
/// Builds the repositories of <c>cgr bench --fleet N</c> from real source trees, deterministically (the same sources and
/// N give the same fleet): one base repository per package (each <c>--corpus</c> root's sub-folders, or without
/// <c>--corpus</c> the packages of this machine's Python standard library, <c>/usr/lib/python3/dist-packages</c>, the
/// JavaScript packages in any <c>node_modules</c> under <c>/usr/lib/node_modules</c> and this repository's
/// <c>.native</c>, and the projects of this repository's <c>src/</c>), split into parts of at most the per-repository
/// file cap; then forks (at least <see cref="ForkShare"/> of N, more where the packages run out): copies of a base with
/// two files edited inside a function body, one file added and one deleted.
/// </summary>
internal static class FleetBuilder
{
    /// <summary>The least share of the fleet that is forks.</summary>
    public const double ForkShare = 0.34;

    private const int MinSplitFiles = 4;
    private const long MaxFileBytes = 512 * 1024;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".cs" };

    /// <summary>
    /// Plans the fleet and writes its trees under <paramref name="workDirectory"/> (<c>trees/&lt;repo&gt;</c>), or keeps the
    /// trees already there when they were written for the same plan (a kept data directory's second run).
    /// </summary>
    public static async Task<Fleet> BuildAsync(int size, int maxFilesPerRepository, IReadOnlyList<string> corpora, string workDirectory, CancellationToken cancellationToken)
    {
        var sources = corpora.Count > 0 ? corpora.SelectMany(CorpusPackages).ToList() : MachinePackages();
        var units = UniqueNames(sources.Select(p => (p.Name, p.Root, Files: ListFiles(p.Root, p.LooseOnly))).Where(p => p.Files.Count > 0).ToList())
            .SelectMany(p => Split(p.Name, p.Root, p.Files, maxFilesPerRepository)).ToList();
        var sourceOf = sources.DistinctBy(p => p.Root).ToDictionary(p => p.Root, p => p.Source, StringComparer.Ordinal);
        if (units.Count == 0)
        {
            throw new CliException("bench --fleet: no source files found (give source folders with --corpus)");
        }

        var available = units.Count;
        var wanted = Math.Max(1, size - (int)Math.Ceiling(size * ForkShare));
        var splits = 0;
        // Too few packages: halve the largest parts (sub-package repositories) before making more forks.
        while (units.Count < wanted && units.MaxBy(u => u.Files.Count) is { } largest && largest.Files.Count >= 2 * MinSplitFiles)
        {
            units.Remove(largest);
            var half = largest.Files.Count / 2;
            units.Add((largest.Name + "-a", largest.Root, largest.Files.Take(half).ToList()));
            units.Add((largest.Name + "-b", largest.Root, largest.Files.Skip(half).ToList()));
            splits++;
        }

        var forks = size - Math.Min(wanted, units.Count);
        var bases = units.OrderBy(u => Order(u.Name), StringComparer.Ordinal).Take(size - forks).ToList();
        var trees = Path.Combine(workDirectory, "trees");
        var repositories = bases.Select(b => new FleetRepository(b.Name, Path.Combine(trees, b.Name), b.Root, null, b.Files)).ToList();
        var forkable = repositories.Where(r => r.Files.Count >= 3).ToList() is { Count: > 0 } enough ? enough : repositories;
        var edits = new Dictionary<string, ForkEdit>(StringComparer.Ordinal);
        for (var i = 0; i < forks; i++)
        {
            var origin = forkable[i % forkable.Count];
            var name = string.Create(Inv, $"{origin.Name}-fork{(i / forkable.Count) + 1}");
            var edit = PlanFork(name, origin);
            edits[name] = edit;
            var files = origin.Files.Where(f => f != edit.Deleted).Append(edit.Added.Path).Order(StringComparer.Ordinal).ToList();
            repositories.Add(new FleetRepository(name, Path.Combine(trees, name), origin.Origin, origin.Name, files));
        }

        var description = Describe(size, repositories, sourceOf, available, splits, maxFilesPerRepository, corpora.Count > 0);
        var stamp = Path.Combine(workDirectory, "fleet.txt");
        var plan = description + "\n" + string.Join("\n", repositories.Select(r => $"{r.Name}\t{r.ForkOf}\t{r.Origin}\t{r.Files.Count}"));
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken) == plan && repositories.All(r => Directory.Exists(r.Tree)))
        {
            return new Fleet(repositories, description, TreesReused: true);
        }

        if (Directory.Exists(trees))
        {
            Directory.Delete(trees, recursive: true);
        }

        foreach (var repository in repositories)
        {
            var baseRoot = repository.Origin;
            foreach (var file in repository.Files)
            {
                var target = Path.Combine(repository.Tree, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var edit = repository.ForkOf is null ? null : edits[repository.Name];
                if (edit is not null && edit.Added.Path == file)
                {
                    await File.WriteAllTextAsync(target, edit.Added.Text, cancellationToken);
                }
                else if (edit is not null && edit.Edited.Contains(file))
                {
                    var text = await File.ReadAllTextAsync(Path.Combine(baseRoot, file), cancellationToken);
                    await File.WriteAllTextAsync(target, EditFunctionBody(text, file, repository.Name), cancellationToken);
                }
                else
                {
                    File.Copy(Path.Combine(baseRoot, file), target, overwrite: true);
                }
            }
        }

        await File.WriteAllTextAsync(stamp, plan, cancellationToken);
        return new Fleet(repositories, description, TreesReused: false);
    }

    /// <summary>The edits of one fork: files changed inside a function body, the file added, the file deleted.</summary>
    private sealed record ForkEdit(IReadOnlySet<string> Edited, (string Path, string Text) Added, string? Deleted);

    private static ForkEdit PlanFork(string name, FleetRepository origin)
    {
        var random = new Random(Seed(name));
        var files = origin.Files;
        var deleted = files.Count >= 3 ? files[random.Next(files.Count)] : null;
        var edited = files.Where(f => f != deleted).OrderBy(_ => random.Next()).Take(2).ToHashSet(StringComparer.Ordinal);
        var extension = Path.GetExtension(files[random.Next(files.Count)]).ToLowerInvariant();
        var identifier = "fork_" + new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        var folder = Path.GetDirectoryName(files[0]) ?? string.Empty;
        var path = Path.Combine(folder, identifier + "_added" + extension).Replace('\\', '/');
        var text = extension switch
        {
            ".py" => $"\"\"\"Added by the fork {name}.\"\"\"\n\n\ndef {identifier}_added(values):\n    return sorted(set(values))\n",
            ".cs" => $"namespace Fork;\n\n/// <summary>Added by the fork {name}.</summary>\ninternal static class {identifier}_added\n{{\n    public static int Twice(int value) => value * 2;\n}}\n",
            _ => $"// Added by the fork {name}.\nexport function {identifier}_added(values) {{\n  return [...new Set(values)].sort();\n}}\n",
        };
        return new ForkEdit(edited, (path, text), deleted);
    }

    /// <summary>A changed function body: a statement-like comment line before the first <c>return</c> (or at the end when there is none).</summary>
    private static string EditFunctionBody(string text, string path, string fork)
    {
        var comment = path.EndsWith(".py", StringComparison.OrdinalIgnoreCase) ? "#" : "//";
        var lines = text.Split('\n').ToList();
        var at = lines.FindIndex(l => l.TrimStart().StartsWith("return", StringComparison.Ordinal));
        if (at < 0)
        {
            return text + $"\n{comment} changed in the fork {fork}\n";
        }

        var indent = lines[at][..(lines[at].Length - lines[at].TrimStart().Length)];
        lines.Insert(at, $"{indent}{comment} changed in the fork {fork}: the result is checked before it is returned");
        return string.Join('\n', lines);
    }

    private static string Describe(int size, List<FleetRepository> repositories, Dictionary<string, string> sourceOf, int available, int splits, int cap, bool fromCorpora)
    {
        var bases = repositories.Where(r => r.ForkOf is null).ToList();
        var bySource = bases.GroupBy(b => sourceOf[b.Origin]).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        var forks = repositories.Count - bases.Count;
        return string.Create(Inv,
            $"{size} repositories from {(fromCorpora ? "the --corpus folders" : "this machine's source trees")}: {bases.Count} bases ({string.Join(", ", bySource)}; "
            + $"{available} packages or parts of at most {cap} files available{(splits > 0 ? $", {splits} more splits into halves" : string.Empty)}) "
            + $"+ {forks} forks ({(double)forks / size:P0}; each: 2 files edited in a function body, 1 added, 1 deleted)");
    }

    /// <summary>A package list for one <c>--corpus</c> root: each sub-folder, and the root's own files as one more.</summary>
    private static IEnumerable<(string Source, string Name, string Root, bool LooseOnly)> CorpusPackages(string corpus)
    {
        var prefix = Sanitize(Path.GetFileName(Path.TrimEndingDirectorySeparator(corpus)));
        return PackagesIn(corpus, prefix);
    }

    private static List<(string Source, string Name, string Root, bool LooseOnly)> MachinePackages()
    {
        var packages = new List<(string, string, string, bool)>();
        if (Directory.Exists("/usr/lib"))
        {
            foreach (var stdlib in Directory.GetDirectories("/usr/lib", "python3.*").Order(StringComparer.Ordinal))
            {
                packages.AddRange(PackagesIn(stdlib, "py"));
            }

            packages.AddRange(PackagesIn("/usr/lib/python3/dist-packages", "pydist"));
            foreach (var modules in NodeModulesFolders("/usr/lib/node_modules", 0))
            {
                packages.AddRange(NodePackages(modules));
            }
        }

        if (FindRepositoryRoot() is { } root)
        {
            packages.AddRange(PackagesIn(Path.Combine(root, "src"), "cgr", includeLooseFiles: false));
            foreach (var modules in NodeModulesFolders(Path.Combine(root, ".native"), 0))
            {
                packages.AddRange(NodePackages(modules));
            }
        }

        return packages;
    }

    /// <summary>The nearest folder above the current one with a <c>src</c> folder and a solution file: this repository's checkout.</summary>
    private static string? FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, "src")) && folder.EnumerateFiles("*.sln").Any())
            {
                return folder.FullName;
            }
        }

        return null;
    }

    private static IEnumerable<(string Source, string Name, string Root, bool LooseOnly)> PackagesIn(string folder, string prefix, bool includeLooseFiles = true)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        if (includeLooseFiles)
        {
            yield return (prefix, prefix + "-modules", folder, true);
        }

        foreach (var child in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(child);
            if (!Skipped(name))
            {
                yield return (prefix, prefix + "-" + Sanitize(name), child, false);
            }
        }
    }

    private static IEnumerable<string> NodeModulesFolders(string folder, int depth)
    {
        if (!Directory.Exists(folder) || depth > 8)
        {
            yield break;
        }

        foreach (var child in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(child) == "node_modules")
            {
                yield return child;
            }

            foreach (var nested in NodeModulesFolders(child, depth + 1))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<(string Source, string Name, string Root, bool LooseOnly)> NodePackages(string nodeModules)
    {
        foreach (var child in Directory.GetDirectories(nodeModules).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(child);
            var packages = name.StartsWith('@') ? Directory.GetDirectories(child).Order(StringComparer.Ordinal).ToArray() : [child];
            foreach (var package in packages.Where(p => !Path.GetFileName(p).StartsWith('.')))
            {
                yield return ("npm", "npm-" + Sanitize(Path.GetRelativePath(nodeModules, package)), package, false);
            }
        }
    }

    /// <summary>Source files under <paramref name="root"/> (only its own files for a folder of loose modules, whose sub-folders are packages of their own), skipping what indexing skips.</summary>
    private static List<string> ListFiles(string root, bool looseOnly)
    {
        var files = new List<string>();
        void Walk(string folder)
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var info = new FileInfo(file);
                if (Extensions.Contains(info.Extension) && info.Length is > 0 and <= MaxFileBytes && (info.Attributes & FileAttributes.ReparsePoint) == 0)
                {
                    files.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
                }
            }

            if (looseOnly)
            {
                return;
            }

            foreach (var child in Directory.EnumerateDirectories(folder))
            {
                if (!Skipped(Path.GetFileName(child)) && (new DirectoryInfo(child).Attributes & FileAttributes.ReparsePoint) == 0)
                {
                    Walk(child);
                }
            }
        }

        try
        {
            Walk(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable folder leaves the package with what was listed so far.
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static List<(string Name, string Root, List<string> Files)> UniqueNames(List<(string Name, string Root, List<string> Files)> packages)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, string, List<string>)>();
        foreach (var (name, root, files) in packages)
        {
            var unique = name;
            for (var i = 2; !used.Add(unique); i++)
            {
                unique = string.Create(Inv, $"{name}-{i}");
            }

            result.Add((unique, root, files));
        }

        return result;
    }

    private static IEnumerable<(string Name, string Root, List<string> Files)> Split(string name, string root, List<string> files, int cap)
    {
        if (files.Count <= cap)
        {
            yield return (name, root, files);
            yield break;
        }

        var parts = (files.Count + cap - 1) / cap;
        var each = (files.Count + parts - 1) / parts;
        for (var part = 0; part < parts; part++)
        {
            yield return (string.Create(Inv, $"{name}-p{part + 1}"), root, files.Skip(part * each).Take(each).ToList());
        }
    }

    private static bool Skipped(string folderName)
        => folderName.StartsWith('.') || folderName.StartsWith("config-", StringComparison.Ordinal) || folderName is "lib-dynload" or "dist-packages"
            || SourceSnapshotOptions.DefaultVendoredDirectories.Contains(folderName);

    private static string Sanitize(string name)
        => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]);

    private static string Order(string name) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static int Seed(string name) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
}
