using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>The retry and timeout pipeline every Milvus request runs through.</summary>
internal static class MilvusResilience
{
    /// <summary>Retry (outermost) around a per-attempt timeout.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, MilvusOptions options)
    {
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = ShouldRetryAsync,
            });
        }

        builder.AddTimeout(options.RequestTimeout);
    }

    /// <summary>A resilience handler over <paramref name="inner"/> configured like the registered client.</summary>
    public static ResilienceHandler CreateHandler(MilvusOptions options, HttpMessageHandler inner)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        Configure(builder, options);
        return new ResilienceHandler(builder.Build()) { InnerHandler = inner };
    }

    /// <summary>
    /// Transport failures, timeouts, HTTP 408/429/5xx, and - since Milvus reports most errors with HTTP 200 - a body whose
    /// <c>code</c> is transient.
    /// </summary>
    internal static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        if (HttpClientResiliencePredicates.IsTransient(args.Outcome))
        {
            return true;
        }

        if (args.Outcome.Result is not { StatusCode: HttpStatusCode.OK } response)
        {
            return false;
        }

        // CGR: buffering lets the client read the same body afterwards when the answer is final.
        await response.Content.LoadIntoBufferAsync(args.Context.CancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(args.Context.CancellationToken).ConfigureAwait(false);
        return MilvusResponse.TryReadCode(body, out var code) && MilvusResponse.IsTransientCode(code);
    }
}
