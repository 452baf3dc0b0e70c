using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace CodeGraphRag.Cli.Output;

/// <summary>
/// The log format of commands run without <c>--verbose</c>: one line per warning or error, the message and the innermost
/// exception's type and first line, never a stack trace (a full disk once printed 4.8 KB of one). <c>--verbose</c> keeps
/// the full simple-console format.
/// </summary>
internal sealed class BriefConsoleFormatter : ConsoleFormatter
{
    /// <summary>The name the console logger selects the formatter by.</summary>
    public const string FormatterName = "cgr-brief";

    public BriefConsoleFormatter()
        : base(FormatterName)
    {
    }

    /// <inheritdoc/>
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        var exception = logEntry.Exception;
        if (string.IsNullOrEmpty(message) && exception is null)
        {
            return;
        }

        textWriter.Write("cgr: ");
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(FirstLine(message ?? string.Empty));
        if (exception is not null)
        {
            var cause = exception.GetBaseException();
            textWriter.Write(" (");
            textWriter.Write(cause.GetType().Name);
            textWriter.Write(": ");
            textWriter.Write(FirstLine(cause.Message));
            textWriter.Write(')');
        }

        textWriter.Write(Environment.NewLine);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => "error: ",
        LogLevel.Warning => "warning: ",
        _ => string.Empty,
    };

    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return TerminalText.Neutralize(end < 0 ? text : text[..end]);
    }
}
