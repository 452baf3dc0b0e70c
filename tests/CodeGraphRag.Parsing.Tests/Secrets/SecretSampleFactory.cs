using System.Text;
using System.Text.RegularExpressions;

namespace CodeGraphRag.Parsing.Tests.Secrets;

/// <summary>
/// Expands sample templates: each <c>{{kind:arg}}</c> slot becomes a fresh value from a seeded generator, so the data set
/// holds no real credential and no value is written twice. In positives every slot is a secret the redactor must remove.
/// </summary>
internal sealed partial class SecretSampleFactory(int seed)
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private const string Base62 = Upper + Lower + Digits;
    private const string Base64 = Base62 + "+/";
    private readonly Random _random = new(seed);

    public (string Text, IReadOnlyList<string> Secrets) Expand(string template)
    {
        var secrets = new List<string>();
        var text = Slot().Replace(template, m =>
        {
            var kind = m.Groups["kind"].Value;
            var arg = m.Groups["arg"].Success ? m.Groups["arg"].Value : string.Empty;
            var value = Generate(kind, arg);
            if (kind == "pem")
            {
                secrets.AddRange(value.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
            }
            else
            {
                secrets.Add(value);
            }

            return value;
        });
        return (text, secrets);
    }

    private string Generate(string kind, string arg) => kind switch
    {
        "b62" => Chars(Base62, int.Parse(arg)),
        "b62mix" => Mixed(int.Parse(arg)),
        "b62u" => Chars(Base62 + "_-", int.Parse(arg)),
        "U" => Chars(Upper + Digits, int.Parse(arg)),
        "d" => Chars(Digits, int.Parse(arg)),
        "hex" => Chars("0123456789abcdef", int.Parse(arg)),
        "b64" => Chars(Base64, int.Parse(arg)),
        "pw" => Password(),
        "pws" => ShellSafePassword(),
        "awsid" => "AKIA" + Chars(Upper + Digits, 16),
        "awssecret" => Chars(Base64, 40),
        "uuid" => new Guid(Bytes(16)).ToString(),
        "sha1" => Chars("0123456789abcdef", 40),
        "jwt" => Jwt(),
        "pem" => Pem(arg),
        _ => throw new ArgumentException($"Unknown slot kind '{kind}'."),
    };

    private string Chars(string alphabet, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[_random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>Random base62 that surely has an upper-case letter, a lower-case letter and a digit.</summary>
    private string Mixed(int length) => Chars(Upper, 1) + Chars(Digits, 1) + Chars(Lower, 1) + Chars(Base62, length - 3);

    private string Password() => _random.Next(3) switch
    {
        0 => Chars(Upper, 1) + Chars(Lower, 5) + Chars(Digits, 2) + Chars("!#*-_.", 1),
        1 => Chars(Base62, 16),
        _ => Chars(Upper, 1) + Chars(Lower, 3) + Chars(Digits, 1) + Chars("!.-", 1) + Chars(Upper, 1) + Chars(Lower, 4) + Chars(Digits, 2),
    };

    /// <summary>A password that needs no quoting in a shell command line: letters and digits, a digit surely among them.</summary>
    private string ShellSafePassword() => Chars(Upper, 1) + Chars(Lower, 5) + Chars(Digits, 2) + Chars(Base62, 4);

    private byte[] Bytes(int n)
    {
        var bytes = new byte[n];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string Jwt()
    {
        static string B64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64Url(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
        var payload = B64Url(Encoding.UTF8.GetBytes($"{{\"sub\":\"{Chars(Digits, 10)}\",\"name\":\"{Chars(Lower, 8)}\",\"iat\":{Chars(Digits, 10)}}}"));
        return $"{header}.{payload}.{B64Url(Bytes(32))}";
    }

    private string Pem(string type)
    {
        var label = type switch
        {
            "PKCS8" => "PRIVATE KEY",
            "PGP" => "PGP PRIVATE KEY BLOCK",
            _ => type + " PRIVATE KEY",
        };
        var body = new StringBuilder();
        var lines = 6 + _random.Next(6);
        for (var i = 0; i < lines; i++)
        {
            body.Append(Chars(Base64, i == lines - 1 ? 28 : 64)).Append('\n');
        }

        return $"-----BEGIN {label}-----\n{body}-----END {label}-----";
    }

    [GeneratedRegex(@"\{\{(?<kind>[A-Za-z0-9]+)(?::(?<arg>[A-Za-z0-9]+))?\}\}")]
    private static partial Regex Slot();
}
