using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Mentions;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Mentions;

[Trait("Category", TestCategories.Unit)]
public sealed class QueryMentionsTests
{
    private static readonly HashSet<string> SourceExtensions = [".py", ".js", ".ts", ".java", ".cs", ".go", ".rb", ".php", ".md"];

    private static bool IsSource(string path) => SourceExtensions.Contains(Path.GetExtension(path));

    private static IReadOnlyList<PathMention> Extract(string query, int max = 10) => QueryMentions.Extract(query, IsSource, max);

    [Fact]
    public void Extract_PythonTraceback_InnermostFrameFirstWithItsFunctions()
    {
        const string Query = """
            Connection resets surface as a raw socket error.
            Traceback (most recent call last):
              File "/home/u/app/main.py", line 67, in dir_parse
                root = ElementTree.fromstring(response.text)
              File "/home/u/.venv/lib/python2.7/site-packages/requests-2.3.0-py2.7.egg/requests/models.py", line 721, in text
                if not self.content:
              File "/home/u/.venv/lib/python2.7/site-packages/requests-2.3.0-py2.7.egg/requests/models.py", line 694, in content
                self._content = bytes().join(self.iter_content(CONTENT_CHUNK_SIZE)) or bytes()
              File "/home/u/.venv/lib/python2.7/site-packages/requests/packages/urllib3/response.py", line 187, in read
                data = self._fp.read(amt)
            socket.error: [Errno 104] Connection reset by peer
            """;

        var mentions = Extract(Query);

        Assert.Equal(["requests/packages/urllib3/response.py", "requests/models.py", "app/main.py"], mentions.Select(m => Tail(m.Path)));
        Assert.Equal(["read"], mentions[0].Functions);
        Assert.Equal(["content", "text"], mentions[1].Functions.Order(StringComparer.Ordinal));
        Assert.Equal(2, mentions[1].Count);
        Assert.Equal(["dir_parse"], mentions[2].Functions);
    }

    [Fact]
    public void Extract_IPythonTraceback_PathWithLineAndQualifiedFunction()
    {
        const string Query = """
            File ~/code/seaborn/seaborn/_core/plot.py:841, in Plot._plot(self, pyplot)
                838 plotter._compute_stats(self, layers)
            File ~/code/seaborn/seaborn/_core/scales.py:351, in ContinuousBase._setup(self, data, prop, axis)
            TypeError: numpy boolean subtract
            """;

        var mentions = Extract(Query);

        Assert.Equal(["seaborn/_core/scales.py", "seaborn/_core/plot.py"], mentions.Select(m => Tail(m.Path)));
        Assert.Equal(["_setup"], mentions[0].Functions);
        Assert.Equal(["_plot"], mentions[1].Functions);
    }

    [Fact]
    public void Extract_PytestTraceback_InnermostLast()
    {
        const string Query = """
            ../../site-packages/_pytest/runner.py:341: in from_call
                result: Optional[TResult] = func()
            src/_pytest/assertion/rewrite.py:760: in is_rewrite_disabled
                return "PYTEST_DONT_REWRITE" in docstring
            E   TypeError: argument of type 'int' is not iterable
            """;

        var mentions = Extract(Query);

        Assert.Equal(["src/_pytest/assertion/rewrite.py", "site-packages/_pytest/runner.py"], mentions.Select(m => PathMentions.Normalize(m.Path)));
        Assert.Equal(["is_rewrite_disabled"], mentions[0].Functions);
        Assert.Equal(["from_call"], mentions[1].Functions);
    }

    [Fact]
    public void Extract_JavaJavaScriptAndCSharpFrames_FirstFrameFirst()
    {
        const string Query = """
            java.lang.IllegalStateException: closed
                at com.acme.billing.InvoiceService.total(InvoiceService.java:42)
                at com.acme.web.Handler.handle(Handler.java:17)
            TypeError: x is undefined
                at Router.match (/srv/app/src/web/router.ts:88:13)
                at Object.<anonymous> (/srv/app/src/index.js:3:1)
            System.InvalidOperationException: boom
               at Acme.Billing.Invoice.Total() in C:\src\acme\billing\Invoice.cs:line 31
            """;

        var mentions = Extract(Query);

        Assert.Equal(
            ["InvoiceService.java", "Handler.java", "src/web/router.ts", "src/index.js", "src/acme/billing/Invoice.cs"],
            mentions.Select(m => m.Path.EndsWith("Invoice.cs", StringComparison.Ordinal) ? PathMentions.Normalize(m.Path) : Tail(m.Path)));
        Assert.Equal(["total"], mentions[0].Functions);
        Assert.Equal(["match"], mentions[2].Functions);
        Assert.Empty(mentions[3].Functions);
        Assert.Equal(["Total"], mentions[4].Functions);
    }

    [Fact]
    public void Extract_RubyPhpAndGoFrames_InnermostFirstWithFunctions()
    {
        const string Query = """
            NoMethodError: undefined method `name' for nil
                /srv/app/app/models/user.rb:12:in `block in save'
                from /srv/app/app/services/signup.rb:30:in 'Signup#call'
            PHP Fatal error: Uncaught TypeError
            #0 /var/www/src/Billing/Invoice.php(44): App\Billing\Invoice->total()
            #1 /var/www/public/index.php(7): {main}
            panic: runtime error: invalid memory address
            goroutine 1 [running]:
            main.(*Cache).Get(...)
            	/home/u/app/storage/cache.go:23 +0x1d
            main.main.func1()
            	/home/u/app/main.go:10 +0x25
            """;

        var mentions = Extract(Query);

        Assert.Equal(
            ["user.rb", "signup.rb", "Invoice.php", "index.php", "cache.go", "main.go"],
            mentions.Select(m => PathMentions.FileName(PathMentions.Normalize(m.Path))));
        Assert.Equal(
            [["save"], ["call"], ["total"], [], ["Get"], ["main"]],
            mentions.Select(m => m.Functions.ToArray()));
    }

    [Fact]
    public void Extract_PathsInProse_FirstNamedFirstAfterFrames()
    {
        const string Query = """
            Since the change to requests/sessions.py (see https://github.com/psf/requests/blob/main/requests/adapters.py#L10)
            the method is a bytes object; `builtin_str(method)` in sessions.py turns it into "b'GET'".
              File "/x/requests/utils.py", line 3, in to_native_string
            """;

        var mentions = Extract(Query);

        Assert.Equal(["requests/utils.py", "requests/sessions.py", "requests/adapters.py", "sessions.py"], mentions.Select(m => Tail(m.Path)));
    }

    [Theory]
    [InlineData("call requests.get with a timeout; worked in 2.7.6, e.g. on python3")]
    [InlineData("the .py files and the ../ folder")]
    [InlineData("socket.error: [Errno 104] Connection reset by peer")]
    [InlineData("")]
    public void Extract_NoPath_FindsNothing(string query)
    {
        Assert.Empty(Extract(query));
    }

    [Fact]
    public void Extract_RelativeWindowsAndDuplicatePaths_NormalisedAndCounted()
    {
        var mentions = Extract("../test_path_error.py:29: AssertionError\nsee ..\\test_path_error.py and src\\app\\Main.java, then ./src/app/Main.java", max: 10);

        Assert.Equal(["test_path_error.py", "src/app/Main.java"], mentions.Select(m => PathMentions.Normalize(m.Path)));
        Assert.Equal([2, 2], mentions.Select(m => m.Count));
    }

    [Fact]
    public void Extract_MoreThanMax_KeepsTheFirstInOrder()
    {
        var query = string.Join('\n', Enumerable.Range(1, 12).Select(i => $"see pkg/m{i}.py"));

        var mentions = Extract(query, max: 3);

        Assert.Equal(["pkg/m1.py", "pkg/m2.py", "pkg/m3.py"], mentions.Select(m => m.Path));
        Assert.Empty(Extract(query, max: 0));
    }

    private static string Tail(string path)
    {
        var normalized = PathMentions.Normalize(path);
        var segments = normalized.Split('/');
        var known = Array.FindLastIndex(segments, s => s is "requests" or "app" or "seaborn" or "src") is var i and >= 0 ? i : segments.Length - 1;
        return string.Join('/', segments[known..]);
    }
}
