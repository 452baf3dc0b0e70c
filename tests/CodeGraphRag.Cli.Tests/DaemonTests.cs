using System.Diagnostics;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests;

/// <summary>The sample repository indexed once; each daemon test gets a copy of the data directory (a server of its own).</summary>
public sealed class IndexedDataTemplate : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("cgr-daemon");

    public string Tree => Path.Combine(_temp.Path, "acme");

    private string Template => Path.Combine(_temp.Path, "template");

    public async ValueTask InitializeAsync()
    {
        Fixtures.CopyTo("sample-repo", Tree);
        var (code, stdout, stderr) = await CgrProcess.RunAsync(Template, "index", Tree);
        Assert.True(code == 0, $"index failed ({code}): {stdout} {stderr}");
    }

    /// <summary>A fresh copy of the indexed data directory.</summary>
    public string NewDataDirectory()
    {
        var copy = Path.Combine(_temp.Path, "d" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.EnumerateFiles(Template, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/run/", StringComparison.Ordinal)))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Template, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The background server: started by the first read-only command, reused, equal answers, idle exit, crash recovery.</summary>
[Collection(CliCollection.Name)]
public sealed class DaemonTests(IndexedDataTemplate template) : IClassFixture<IndexedDataTemplate>, IAsyncLifetime
{
    private const string Query = "try an action again with exponentially growing waits";

    private static readonly Dictionary<string, string> On = new() { ["CGR_DAEMON"] = "on" };

    private readonly List<string> _dataDirectories = [];

    [Fact]
    public async Task ReadCommands_FirstStartsTheServer_LaterOnesReuseIt_AnswersEqualToOneProcess()
    {
        var data = NewData();
        Assert.Contains("not running", await DaemonStatusAsync(data), StringComparison.Ordinal);

        var first = await RunAsync(data, On, "search", Query, "--top", "3");
        var firstPid = Pid(await DaemonStatusAsync(data));
        var second = await RunAsync(data, On, "search", Query, "--top", "3");
        var context = await RunAsync(data, On, "context", Query, "--budget", "500");
        var status = await RunAsync(data, On, "status");
        var repos = await RunAsync(data, On, "repos");
        var unknown = await RunAsync(data, On, "search", "x", "--repo", "nope");
        var afterwards = await DaemonStatusAsync(data);

        Assert.Equal(firstPid, Pid(afterwards));
        Assert.Contains("6 commands answered", afterwards, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Equal((await RunAsync(data, [], "search", Query, "--top", "3", "--no-daemon")).Stdout, first.Stdout);
        Assert.Equal((await RunAsync(data, [], "context", Query, "--budget", "500", "--no-daemon")).Stdout, context.Stdout);
        Assert.Equal((await RunAsync(data, [], "status", "--no-daemon")).Stdout, status.Stdout);
        Assert.Equal((await RunAsync(data, [], "repos", "--no-daemon")).Stdout, repos.Stdout);
        Assert.Contains("util/RetryPolicy.java", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, unknown.Code);
        Assert.Equal("cgr: unknown repository 'nope' (indexed: acme); index it with 'cgr index <path> --name nope'", unknown.Stderr.Trim());
        Assert.Equal((await RunAsync(data, [], "search", "x", "--repo", "nope", "--no-daemon")).Stderr, unknown.Stderr);
    }

    [Fact]
    public async Task ThreeFirstCallsAtOnce_OneServerStarts_AndAnswersThemAll()
    {
        var data = NewData();

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RunAsync(data, On, "repos")));

        Assert.All(answers, a => Assert.Equal((0, answers[0].Stdout, string.Empty), (a.Code, a.Stdout, a.Stderr)));
        Assert.StartsWith("acme\t", answers[0].Stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(data, "run"), "*.sock"));
        Assert.Contains("3 commands answered", await DaemonStatusAsync(data), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Socket_InAFolderOnlyItsOwnerMayEnter_AndOwnerOnlyItself()
    {
        var data = NewData();

        await RunAsync(data, On, "repos");

        var run = Path.Combine(data, "run");
        var socket = Assert.Single(Directory.GetFiles(run, "*.sock"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(run));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
    }

    [Fact]
    public async Task IdleTimeout_ServerExitsAndRemovesItsSocket()
    {
        var data = NewData();
        var quick = new Dictionary<string, string>(On) { ["CGR_DAEMON_IDLE_SECONDS"] = "2" };

        await RunAsync(data, quick, "repos");
        var pid = Pid(await DaemonStatusAsync(data));
        using var server = Process.GetProcessById(pid);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await server.WaitForExitAsync(timeout.Token);

        Assert.Empty(Directory.GetFiles(Path.Combine(data, "run"), "*.sock"));
        Assert.Contains("not running", await DaemonStatusAsync(data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KilledServer_StaleSocketLeftBehind_NextCommandStartsANewOne()
    {
        var data = NewData();
        var before = await RunAsync(data, On, "search", Query, "--top", "2");
        var pid = Pid(await DaemonStatusAsync(data));
        using (var server = Process.GetProcessById(pid))
        {
            server.Kill();
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Single(Directory.GetFiles(Path.Combine(data, "run"), "*.sock"));

        var after = await RunAsync(data, On, "search", Query, "--top", "2");

        Assert.Equal(before, after);
        Assert.NotEqual(pid, Pid(await DaemonStatusAsync(data)));
    }

    [Fact]
    public async Task TwoDataDirectories_TwoServers_EachAnswersFromItsOwnIndex()
    {
        var first = NewData();
        var second = NewData();
        var (code, _, stderr) = await CgrProcess.RunAsync(second, "index", template.Tree, "--name", "other");
        Assert.True(code == 0, stderr);

        var firstRepos = await RunAsync(first, On, "repos");
        var secondRepos = await RunAsync(second, On, "repos");

        Assert.StartsWith("acme\t", firstRepos.Stdout, StringComparison.Ordinal);
        Assert.Contains("other\t", secondRepos.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("other\t", firstRepos.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(Pid(await DaemonStatusAsync(first)), Pid(await DaemonStatusAsync(second)));
    }

    [Fact]
    public async Task IndexWhileTheServerRuns_TheServerAnswersWithWhatWasIndexed()
    {
        var data = NewData();
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(data, "..", Path.GetFileName(data) + "-tree"));
        var (code, _, stderr) = await CgrProcess.RunAsync(data, "index", tree, "--name", "fresh");
        Assert.True(code == 0, stderr);
        await RunAsync(data, On, "repos");
        File.WriteAllText(Path.Combine(tree, "util", "Quasar.java"), "class QuasarBeacon {\n  int pulsarFrequencyHertz() { return 716; }\n}\n");

        (code, _, stderr) = await CgrProcess.RunAsync(data, "index", tree, "--name", "fresh");
        var found = await RunAsync(data, On, "search", "pulsarFrequencyHertz", "--mode", "lexical", "--top", "1", "--repo", "fresh");

        Assert.True(code == 0, stderr);
        Assert.Contains("util/Quasar.java", found.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherSettings_StartTheirOwnServer_AndTheOldOneStops()
    {
        var data = NewData();
        var other = new Dictionary<string, string>(On) { ["CodeGraphRag__Search__Graph__MaxCandidatesPerName"] = "8" };
        await RunAsync(data, On, "repos");
        using var old = Process.GetProcessById(Pid(await DaemonStatusAsync(data)));

        var answer = await RunAsync(data, other, "repos");
        await old.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, answer.Code);
        Assert.Single(Directory.GetFiles(Path.Combine(data, "run"), "*.sock"));
        Assert.StartsWith("running: pid ", (await CgrProcess.RunAsync(data, other, "daemon", "status")).Stdout, StringComparison.Ordinal);
        Assert.Contains("not running", await DaemonStatusAsync(data), StringComparison.Ordinal);
        await CgrProcess.RunAsync(data, other, "daemon", "stop");
    }

    [Fact]
    public async Task ServerCannotStart_DamagedDatabase_AnsweredInProcessWithTheUsualError()
    {
        var data = NewData();
        using (var database = new FileStream(Path.Combine(data, "index.db"), FileMode.Open, FileAccess.Write))
        {
            database.Write(Enumerable.Repeat((byte)0xFF, 100).ToArray());
        }

        var answer = await RunAsync(data, On, "search", Query);
        var oneProcess = await RunAsync(data, [], "search", Query);

        Assert.Equal(1, answer.Code);
        Assert.Contains("the background server stopped as it started", answer.Stderr, StringComparison.Ordinal);
        Assert.EndsWith(oneProcess.Stderr.Trim(), answer.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Contains("run 'cgr repair", oneProcess.Stderr, StringComparison.Ordinal);
        Assert.Contains("not running", await DaemonStatusAsync(data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_BySettingOrFlag_NoServerStarts()
    {
        var data = NewData();

        var off = await RunAsync(data, new() { ["CGR_DAEMON"] = "off" }, "repos");
        var flag = await RunAsync(data, On, "repos", "--no-daemon");

        Assert.Equal(0, off.Code);
        Assert.Equal(off.Stdout, flag.Stdout);
        Assert.False(Directory.Exists(Path.Combine(data, "run")) && Directory.GetFiles(Path.Combine(data, "run"), "*.sock").Length > 0);
        Assert.Contains("not running", await DaemonStatusAsync(data), StringComparison.Ordinal);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var data in _dataDirectories)
        {
            await CgrProcess.RunAsync(data, "daemon", "stop");
        }
    }

    [Fact]
    public async Task Index_RunsInTheServer_RelativePathFromTheClientsFolder_SearchFollowsAtOnce_LockReleased()
    {
        var data = NewData();
        var parent = Path.GetDirectoryName(data)!;
        var tree = Path.Combine(parent, "ledger-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "reconcile.py"),
            "def reconcile_ledger_entries(ledger, statement):\n    \"\"\"Matches ledger entries against a bank statement.\"\"\"\n    return [e for e in ledger if e in statement]\n");
        await RunAsync(data, On, "search", Query, "--top", "1");
        var pid = Pid(await DaemonStatusAsync(data));

        using var client = CgrProcess.StartIn(parent, data, On, "index", Path.GetFileName(tree), "--name", "ledger", "--plain");
        var index = (Code: await client.WaitAsync(TimeSpan.FromMinutes(5)), client.Stdout, client.Stderr);
        var search = await RunAsync(data, On, "search", "reconcile ledger entries against a statement", "--repo", "ledger", "--top", "1");
        var status = await DaemonStatusAsync(data);
        var oneProcess = await RunAsync(data, [], "index", tree, "--name", "ledger", "--plain", "--no-daemon");

        Assert.True(index.Code == 0, index.Stderr);
        Assert.Contains("ledger: synced in", index.Stdout, StringComparison.Ordinal);
        Assert.Contains("files: 1 indexed, 0 unchanged", index.Stdout, StringComparison.Ordinal);
        // The server ran it (one more command answered, same process), and its read-only session saw the result at once.
        Assert.Equal(pid, Pid(status));
        Assert.Contains("3 commands answered", status, StringComparison.Ordinal);
        Assert.True(search.Code == 0, search.Stderr);
        Assert.Contains("reconcile.py", search.Stdout, StringComparison.Ordinal);
        // The writer lock went with the server's writer session: a one-process index takes it and finds nothing to do.
        Assert.True(oneProcess.Code == 0, oneProcess.Stderr);
        Assert.Contains("files: 0 indexed, 1 unchanged", oneProcess.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexWatch_InTheServer_StopsOnTheClientsSigterm_AndFreesTheWriterLock()
    {
        var data = NewData();
        using var watch = CgrProcess.Start(data, On, "index", template.Tree, "--watch", "--plain");
        await watch.WaitForOutputAsync("for changes (Ctrl-C to stop)", 1, TimeSpan.FromMinutes(3));
        var busy = await RunAsync(data, [], "index", template.Tree, "--plain", "--no-daemon");
        var served = await DaemonStatusAsync(data);

        Assert.Equal(0, Signals.Kill(watch.Pid, Signals.Sigterm));
        var code = await watch.WaitAsync(TimeSpan.FromMinutes(1));
        var after = await RunAsync(data, [], "index", template.Tree, "--plain", "--no-daemon");

        Assert.True(code == 0, watch.Stderr);
        Assert.Contains("acme: synced in", watch.Stdout, StringComparison.Ordinal);
        // While the server watched, its writer session held the lock (the error names the server's pid, not the client's).
        Assert.NotEqual(0, busy.Code);
        Assert.Contains($"is locked by another writer (pid {Pid(served)})", busy.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 commands answered", await DaemonStatusAsync(data), StringComparison.Ordinal);
        Assert.True(after.Code == 0, after.Stderr);
        Assert.Contains("files: 0 indexed, 8 unchanged", after.Stdout, StringComparison.Ordinal);
    }

    private string NewData()
    {
        var data = template.NewDataDirectory();
        _dataDirectories.Add(data);
        return data;
    }

    private static async Task<string> DaemonStatusAsync(string data) => (await CgrProcess.RunAsync(data, "daemon", "status")).Stdout;

    private static int Pid(string status)
    {
        Assert.StartsWith("running: pid ", status, StringComparison.Ordinal);
        return int.Parse(status["running: pid ".Length..status.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string data, Dictionary<string, string> environment, params string[] args)
        => await CgrProcess.RunAsync(data, environment, args);
}
