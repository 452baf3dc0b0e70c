namespace CodeGraphRag.Cli;

/// <summary>Maps known failures from the stack to one clear line.</summary>
internal static class ErrorMessages
{
    /// <summary>A one-line description of a known failure, or null.</summary>
    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case CodeGraphRag.Storage.Embedded.DataDirectoryLockedException locked:
                    return locked.Message;
                case Microsoft.Extensions.Options.OptionsValidationException options:
                    return "invalid configuration: " + string.Join("; ", options.Failures);
            }
        }

        return null;
    }
}
