using CodeGraphRag.Cli.Output;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeGraphRag.Cli.Tests.Output;

public sealed class BriefConsoleFormatterTests
{
    [Fact]
    public void Error_WithNestedException_OneLineWithTheInnermostCauseAndNoStackTrace()
    {
        var thrown = Throw(() => throw new InvalidOperationException("apply failed", Throw(() => throw new IOException("No space left on device : '/data/index.db-wal'"))));

        var line = Format(LogLevel.Error, "Could not index 'src/app.py'", thrown);

        Assert.Equal("cgr: error: Could not index 'src/app.py' (IOException: No space left on device : '/data/index.db-wal')" + Environment.NewLine, line);
        Assert.NotNull(thrown.StackTrace);
    }

    [Fact]
    public void Warning_MultiLineMessageWithEscapes_FirstLineNeutralized()
    {
        var line = Format(LogLevel.Warning, "skipped \u001b]0;pwned\u0007evil.py\nsecond line", null);

        Assert.Equal("cgr: warning: skipped \\x1B]0;pwned\\x07evil.py" + Environment.NewLine, line);
    }

    private static string Format(LogLevel level, string message, Exception? exception)
    {
        using var writer = new StringWriter();
        new BriefConsoleFormatter().Write(new LogEntry<string>(level, "CodeGraphRag.Grains", new EventId(1), message, exception, (s, _) => s), null, writer);
        return writer.ToString();
    }

    private static Exception Throw(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("the action did not throw");
    }
}
