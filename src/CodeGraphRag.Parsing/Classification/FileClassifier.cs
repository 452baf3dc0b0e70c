using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Parsing.Languages;

namespace CodeGraphRag.Parsing.Classification;

/// <summary>Decides a file's <see cref="FileClass"/> from its path, language and (for prose) its text. Thread-safe.</summary>
/// <remarks>
/// <para>Prose (Markdown, plain text, reStructuredText) is a <see cref="FileClass.Changelog"/> when its name says so
/// (<c>CHANGELOG</c>, <c>CHANGES</c>, <c>HISTORY</c>, <c>NEWS</c>, <c>RELEASE</c>, <c>RELEASE_NOTES</c>, <c>WHATSNEW</c>), when it
/// sits in a release-notes or fragment folder (<c>changelog/</c>, <c>changelog.d/</c>, <c>changes/</c>, <c>newsfragments/</c>,
/// <c>releases/</c>, <c>release-notes/</c>, <c>whatsnew/</c>, <c>.changeset/</c>), or when most of its headings are versions;
/// test data when it sits in a test folder; otherwise <see cref="FileClass.Docs"/>.</para>
/// <para>Configuration languages (YAML, JSON, TOML, XML, INI, dotenv, Dockerfile, Make, CMake) and build, package, lock, CI,
/// editor and lint files by name (<c>package.json</c>, <c>setup.py</c>, <c>go.mod</c>, <c>*.lock</c>,
/// <c>webpack.config.js</c>, <c>.github/workflows/*</c>, <c>docs/conf.py</c>...) are <see cref="FileClass.Config"/>, unless
/// they sit in a test folder (fixtures: <see cref="FileClass.Test"/>).</para>
/// <para>Code is <see cref="FileClass.Generated"/> in a <c>generated/</c> folder, <see cref="FileClass.Test"/> by
/// <see cref="TestPaths"/>, <see cref="FileClass.Benchmark"/> under <c>bench/</c>, <c>benchmarks/</c>, <c>perf/</c>,
/// <see cref="FileClass.Example"/> under <c>examples/</c>, <c>samples/</c>, <c>demo/</c> or a docs folder (code in
/// <c>docs/</c> is example code), and <see cref="FileClass.Code"/> otherwise: a <c>changelog.py</c> module is code.</para>
/// </remarks>
public static class FileClassifier
{
    /// <summary>Version of these rules; part of the pipeline version, so a change reclassifies every file on the next sync.</summary>
    public const string Version = "classes-1";

    private static readonly HashSet<string> ProseLanguages = new(StringComparer.Ordinal) { LanguageIds.Markdown, LanguageIds.Text };

    private static readonly HashSet<string> ConfigLanguages = new(StringComparer.Ordinal)
    {
        LanguageIds.Yaml, LanguageIds.Json, LanguageIds.Toml, LanguageIds.Xml, LanguageIds.Ini, LanguageIds.DotEnv,
        LanguageIds.Dockerfile, LanguageIds.Makefile, LanguageIds.CMake,
    };

    // Compared with separators and case removed: "RELEASE_NOTES" and "release-notes" are both "releasenotes".
    private static readonly HashSet<string> ChangelogStems = new(StringComparer.Ordinal)
    {
        "changelog", "changes", "history", "news", "release", "releases", "releasenotes", "releasehistory", "whatsnew", "changelist",
    };

    private static readonly HashSet<string> ChangelogFolders = new(StringComparer.Ordinal)
    {
        "changelog", "changelogd", "changelogs", "changes", "newsfragments", "releases", "releasenotes", "whatsnew", "changeset", "unreleased",
    };

    private static readonly HashSet<string> ExampleFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "example", "examples", "_examples", "sample", "samples", "demo", "demos", "tutorial", "tutorials", "cookbook",
        "doc", "docs", "documentation", "docs_src", "docs-src",
    };

    private static readonly HashSet<string> BenchmarkFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "bench", "benches", "benchmark", "benchmarks", "perf", "perftests", "performance",
    };

    private static readonly HashSet<string> GeneratedFolders = new(StringComparer.OrdinalIgnoreCase) { "generated", "_generated", "autogen", "auto-generated" };

    private static readonly HashSet<string> ConfigNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "setup.py", "setup.cfg", "noxfile.py", "fabfile.py", "manage.py", "package.json", "go.mod", "go.sum", "go.work", "go.work.sum",
        "gemfile", "rakefile", "podfile", "vagrantfile", "jenkinsfile", "procfile", "build.gradle", "build.gradle.kts",
        "settings.gradle", "settings.gradle.kts", "gradlew", "mvnw", "gulpfile.js", "gruntfile.js", "karma.conf.js",
        "requirements.txt", "constraints.txt", "pipfile", "pipfile.lock", "makefile", "cmakelists.txt", "meson.build",
        "build.sbt", "build.rs", "cargo.toml", "composer.json", "pubspec.yaml", "nuget.config", "global.json",
        ".editorconfig", ".gitattributes", ".gitignore", ".gitmodules", ".dockerignore", ".npmignore", ".npmrc", ".nvmrc",
        ".eslintrc", ".eslintrc.js", ".eslintrc.cjs", ".prettierrc", ".prettierrc.js", ".babelrc", ".travis.yml",
        ".gitlab-ci.yml", "azure-pipelines.yml", "appveyor.yml", "codecov.yml", ".coveragerc", ".pylintrc", ".flake8",
        "tox.ini", "pytest.ini", "mypy.ini", ".rubocop.yml", "tsconfig.json", "jsconfig.json", "dockerfile", "docker-compose.yml",
    };

    private static readonly string[] ConfigSuffixes =
    [
        ".lock", ".config.js", ".config.cjs", ".config.mjs", ".config.ts", ".config.mts", ".conf.js", ".gemspec", ".csproj",
        ".fsproj", ".vbproj", ".props", ".targets", ".sln", ".slnx", "-lock.json", "-lock.yaml", ".nuspec",
    ];

    private static readonly HashSet<string> ConfigFolders = new(StringComparer.OrdinalIgnoreCase) { ".github", ".circleci", ".vscode", ".idea", ".devcontainer", ".husky" };

    /// <summary>The class of the file at <paramref name="path"/>.</summary>
    /// <param name="path">Repository-relative path with <c>/</c>.</param>
    /// <param name="language">The language the parser used (<c>text</c> for unknown files), or null when not parsed.</param>
    /// <param name="text">The decoded text, when known; only prose is read (for version headings).</param>
    public static FileClass Classify(string path, string? language, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        var name = segments[^1];
        var folders = segments.AsSpan(0, segments.Length - 1);
        var prose = language is null ? LooksLikeProseName(name) : ProseLanguages.Contains(language);

        if (IsConfigByName(name, folders))
        {
            return TestPaths.IsTest(path) ? FileClass.Test : FileClass.Config;
        }

        if (prose)
        {
            if (IsChangelogName(name) || AnyFolder(folders, f => ChangelogFolders.Contains(Normalize(f))) || (text is not null && MostlyVersionHeadings(text)))
            {
                return FileClass.Changelog;
            }

            return TestPaths.IsTest(path) ? FileClass.Test : FileClass.Docs;
        }

        if (language is not null && ConfigLanguages.Contains(language))
        {
            return TestPaths.IsTest(path) ? FileClass.Test : FileClass.Config;
        }

        if (AnyFolder(folders, GeneratedFolders.Contains))
        {
            return FileClass.Generated;
        }

        if (TestPaths.IsTest(path))
        {
            return FileClass.Test;
        }

        if (AnyFolder(folders, BenchmarkFolders.Contains) || IsBenchmarkName(name))
        {
            return FileClass.Benchmark;
        }

        return AnyFolder(folders, ExampleFolders.Contains) ? FileClass.Example : FileClass.Code;
    }

    private static bool IsConfigByName(string name, ReadOnlySpan<string> folders)
    {
        if (ConfigNames.Contains(name) || (name.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        foreach (var suffix in ConfigSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name.Length > suffix.Length)
            {
                return true;
            }
        }

        // Sphinx's build configuration: docs/conf.py.
        if (name.Equals("conf.py", StringComparison.Ordinal) && folders.Length > 0 && ExampleFolders.Contains(folders[^1]))
        {
            return true;
        }

        // CI and editor folders hold configuration; their Markdown (issue templates) stays prose.
        return AnyFolder(folders, ConfigFolders.Contains) && !LooksLikeProseName(name);
    }

    private static bool IsChangelogName(string name)
    {
        var dot = name.IndexOf('.', 1);
        var stem = Normalize(dot > 0 ? name[..dot] : name);
        return ChangelogStems.Contains(stem) || stem.StartsWith("changelog", StringComparison.Ordinal) || stem.StartsWith("releasenotes", StringComparison.Ordinal);
    }

    private static bool IsBenchmarkName(string name)
    {
        var dot = name.LastIndexOf('.');
        var stem = dot > 0 ? name[..dot] : name;
        return stem.StartsWith("bench_", StringComparison.OrdinalIgnoreCase) || stem.EndsWith("_bench", StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith("Benchmark", StringComparison.Ordinal) || stem.EndsWith("Benchmarks", StringComparison.Ordinal);
    }

    private static bool LooksLikeProseName(string name) =>
        name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".rst", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".adoc", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase) || !name.Contains('.', StringComparison.Ordinal);

    private static bool AnyFolder(ReadOnlySpan<string> folders, Func<string, bool> predicate)
    {
        foreach (var folder in folders)
        {
            if (predicate(folder))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string value) =>
        string.Concat(value.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    /// <summary>
    /// Whether at least three headings, and at least half of all headings, name a version: a docs page used as release
    /// notes. Markdown headings (<c>## 1.2.0</c>, <c>## [2.0.0] - 2024-01-01</c>, <c>### Version 3.1</c>) and
    /// reStructuredText titles (a line underlined with <c>=</c>, <c>-</c>, <c>~</c>, <c>^</c>) count.
    /// </summary>
    internal static bool MostlyVersionHeadings(string text)
    {
        var headings = 0;
        var versions = 0;
        var previous = ReadOnlySpan<char>.Empty;
        var lines = 0;
        foreach (var range in text.AsSpan().EnumerateLines())
        {
            // CGR: the first 2,000 lines decide; release notes put versions throughout, and huge pages cost no more.
            if (++lines > 2_000)
            {
                break;
            }

            var line = range.TrimEnd();
            var heading = ReadOnlySpan<char>.Empty;
            if (line.StartsWith("#"))
            {
                heading = line.TrimStart('#').Trim();
            }
            else if (previous.Length > 0 && line.Length >= 3 && line.Length >= previous.Trim().Length - 2 && IsUnderline(line))
            {
                heading = previous.Trim();
            }

            if (heading.Length > 0)
            {
                headings++;
                if (IsVersionHeading(heading))
                {
                    versions++;
                }
            }

            previous = line;
        }

        return versions >= 3 && versions * 2 >= headings;
    }

    private static bool IsUnderline(ReadOnlySpan<char> line)
    {
        var c = line[0];
        if (c is not ('=' or '-' or '~' or '^' or '*' or '+'))
        {
            return false;
        }

        foreach (var ch in line)
        {
            if (ch != c)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A heading that starts with a version: <c>1.2</c>, <c>v2.0.1</c>, <c>[3.1.0]</c>, <c>Version 4.0</c>, <c>Release 5.2</c>.</summary>
    internal static bool IsVersionHeading(ReadOnlySpan<char> heading)
    {
        var text = heading.TrimStart();
        if (text.StartsWith("["))
        {
            text = text[1..];
        }
        else if (text.StartsWith("version", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..].TrimStart();
        }
        else if (text.StartsWith("release", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..].TrimStart();
        }

        if (text.StartsWith("v", StringComparison.OrdinalIgnoreCase))
        {
            text = text[1..];
        }

        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        return digits > 0 && digits + 1 < text.Length && text[digits] == '.' && char.IsAsciiDigit(text[digits + 1]);
    }
}
