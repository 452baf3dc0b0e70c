
namespace CodeGraphRag.Api.Services;

/// <summary>Writes one structured entry per request to the <c>CodeGraphRag.Audit</c> logger category.</summary>
internal sealed partial class AuditLog(ILoggerFactory loggers)
{
    public const string Category = "CodeGraphRag.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Write(AuditEntry entry, string status, TimeSpan latency)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var repositories = string.Join(',', entry.Repositories);
        LogRequest(_logger, entry.Principal, entry.Operation, repositories, entry.ResultCount,
            latency.TotalMilliseconds, status, entry.QueryHash ?? string.Empty, entry.QueryLength);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "audit principal={Principal} operation={Operation} repositories={Repositories} results={ResultCount} latencyMs={LatencyMs} status={Status} queryHash={QueryHash} queryLength={QueryLength}")]
    private static partial void LogRequest(ILogger logger, string principal, string operation, string repositories, int resultCount,
        double latencyMs, string status, string queryHash, int queryLength);
}
