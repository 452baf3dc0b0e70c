namespace CodeGraphRag.Cli.CommandLine;

/// <summary>
/// Parsed command line: positional arguments plus <c>--name value</c>, <c>--name=value</c> and flags, in any order.
/// Options are declared per command so a typo is a usage error, not a silently ignored word.
/// </summary>
internal sealed class ParsedArgs
{
    /// <summary>Options every command accepts (with a value).</summary>
    public static readonly IReadOnlySet<string> GlobalValueOptions = new HashSet<string>(StringComparer.Ordinal) { "data-dir", "server", "api-key", "token" };

    /// <summary>Flags every command accepts.</summary>
    public static readonly IReadOnlySet<string> GlobalFlags = new HashSet<string>(StringComparer.Ordinal) { "verbose", "help", "no-daemon" };

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private ParsedArgs(List<string> positionals) => Positionals = positionals;

    /// <summary>Positional arguments in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>
    /// The last value of <c>--<paramref name="name"/> value</c> or <c>--<paramref name="name"/>=value</c> before any <c>--</c>,
    /// read before a command parses its arguments (the server and data directory decide how it runs); null when absent.
    /// </summary>
    public static string? LastOption(IReadOnlyList<string> args, string name)
    {
        string? value = null;
        var option = "--" + name;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                break;
            }

            if (args[i] == option && i + 1 < args.Count)
            {
                value = args[++i];
            }
            else if (args[i].StartsWith(option + "=", StringComparison.Ordinal))
            {
                value = args[i][(option.Length + 1)..];
            }
        }

        return value;
    }

    /// <summary>Parses <paramref name="args"/> for a command that accepts the given options.</summary>
    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flags)
    {
        var positionals = new List<string>();
        var result = new ParsedArgs(positionals);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            if (valueOptions.Contains(name) || GlobalValueOptions.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw CliException.Usage($"option --{name} needs a value"));
                if (!result._values.TryGetValue(name, out var list))
                {
                    result._values[name] = list = [];
                }

                list.Add(value);
            }
            else if (flags.Contains(name) || GlobalFlags.Contains(name))
            {
                if (inline is not null)
                {
                    throw CliException.Usage($"option --{name} takes no value");
                }

                result._flags.Add(name);
            }
            else
            {
                throw CliException.Usage($"unknown option --{name}; run 'cgr help' for the options of each command");
            }
        }

        return result;
    }

    /// <summary>The last value given for <paramref name="name"/>, or null.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    /// <summary>All values given for <paramref name="name"/>.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    /// <summary>Whether the flag was given.</summary>
    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>An integer option within [min, max], or the default.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        var raw = Value(name);
        if (raw is null)
        {
            return fallback;
        }

        if (!int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw CliException.Usage($"--{name} must be a whole number from {min} to {max} (got '{raw}')");
        }

        return value;
    }

    /// <summary>The single positional argument of a command, or a usage error naming it.</summary>
    public string Single(string what)
    {
        return Positionals.Count switch
        {
            1 => Positionals[0],
            0 => throw CliException.Usage($"missing {what}"),
            _ => throw CliException.Usage($"expected one {what}, got {Positionals.Count} arguments: {string.Join(' ', Positionals)} (quote a query with spaces)"),
        };
    }
}
