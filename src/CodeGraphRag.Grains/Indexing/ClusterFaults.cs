using CodeGraphRag.Grains.Embedding;
using Orleans.Runtime.Messaging;
namespace CodeGraphRag.Grains.Indexing;

/// <summary>Recognises the errors Orleans raises when the silo that should serve a call is gone or was never there.</summary>
public static class ClusterFaults
{
    /// <summary>
    /// True for a dead or unreachable silo (<see cref="SiloUnavailableException"/>, rejected messages) and for a grain class
    /// that no active silo hosts (placement reports "No active nodes are compatible with grain ...", and GetGrain "Could not
    /// find an implementation for interface ..." while no silo of the cluster knows the class), and for an embedding call that
    /// went unanswered (<see cref="EmbedderTimeoutException"/>), also when wrapped.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SiloUnavailableException:
                case OrleansMessageRejectionException:
                case ConnectionFailedException:
                case EmbedderTimeoutException:
                case OrleansException when e.Message.Contains("No active nodes are compatible", StringComparison.Ordinal):
                // Raised by GetGrain while no silo in the cluster manifest hosts the grain class at all.
                case ArgumentException when e.Message.StartsWith("Could not find an implementation for interface", StringComparison.Ordinal):
                    return true;
            }
        }

        return exception is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnavailable);
    }
}
