namespace CodeGraphRag.Parsing.Classification;

/// <summary>Recognises test code by its path, the conventions of the common test runners. Thread-safe.</summary>
/// <remarks>
/// A folder named <c>test</c>, <c>tests</c>, <c>testing</c>, <c>__tests__</c>, <c>spec</c>, <c>specs</c> or
/// <c>testdata</c> (any case), a .NET test project folder (<c>X.Tests</c>, <c>X.UnitTests</c>, <c>X.Specs</c>), or a file named like a test: <c>test_x.py</c>, <c>x_test.py</c>, <c>x_test.go</c>,
/// <c>x_spec.rb</c>, <c>x.test.ts</c>, <c>x.spec.js</c>, <c>XTest.java</c>, <c>XTests.cs</c>, <c>conftest.py</c>.
/// </remarks>
public static class TestPaths
{
    private static readonly HashSet<string> Folders = new(StringComparer.OrdinalIgnoreCase) { "test", "tests", "testing", "__tests__", "spec", "specs", "testdata" };

    private static readonly string[] Suffixes = ["_test", "_tests", "_spec", ".test", ".spec"];

    private static readonly string[] TypeSuffixes = ["Test", "Tests", "Spec", "IT"];

    /// <summary>Whether <paramref name="path"/> (repository-relative, <c>/</c>-separated) is test code.</summary>
    public static bool IsTest(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (Folders.Contains(segments[i]) || IsTestProjectFolder(segments[i]))
            {
                return true;
            }
        }

        var name = segments[^1];
        if (name.Equals("conftest.py", StringComparison.Ordinal))
        {
            return true;
        }

        var dot = name.LastIndexOf('.');
        var stem = dot > 0 ? name[..dot] : name;
        if (stem.StartsWith("test_", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var suffix in Suffixes)
        {
            if (stem.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && stem.Length > suffix.Length)
            {
                return true;
            }
        }

        // XTest.java, XTests.cs: a type name ending in Test after a lower-case letter or digit (not "Contest", "Latest").
        foreach (var suffix in TypeSuffixes)
        {
            if (stem.Length > suffix.Length && stem.EndsWith(suffix, StringComparison.Ordinal) && char.IsUpper(stem[0])
                && (char.IsLower(stem[^(suffix.Length + 1)]) || char.IsDigit(stem[^(suffix.Length + 1)])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTestProjectFolder(string segment)
    {
        var dot = segment.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        var last = segment.AsSpan(dot + 1);
        return last.Equals("Tests", StringComparison.OrdinalIgnoreCase) || last.Equals("Test", StringComparison.OrdinalIgnoreCase)
            || last.Equals("Specs", StringComparison.OrdinalIgnoreCase)
            || (last.EndsWith("Tests", StringComparison.Ordinal) && last.Length > 5 && char.IsUpper(last[0]));
    }
}
