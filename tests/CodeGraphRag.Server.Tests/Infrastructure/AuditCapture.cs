using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Server.Tests.Infrastructure;

/// <summary>Records what is logged to the audit category and to the server's own category (its startup line).</summary>
internal sealed class AuditCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ConcurrentQueue<string> ServerLines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName switch
    {
        "CodeGraphRag.Audit" => Entries,
        "CodeGraphRag.Server" => ServerLines,
        _ => null,
    });

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string>? entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => entries is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries?.Enqueue(formatter(state, exception));
    }
}
