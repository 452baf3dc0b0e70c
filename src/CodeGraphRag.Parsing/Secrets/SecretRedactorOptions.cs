namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Thresholds of the generic rule (a literal assigned to a secret-like name). Provider-specific rules have fixed formats.</summary>
/// <remarks>
/// Names are split in two families. Password-like names (password, passwd, passphrase, pwd, secret, private_key, credential)
/// are strong evidence, so short human-chosen values count. Token-like names (token, api_key, access_key, auth, bearer,
/// signing/encryption/master keys) are weaker evidence: the value must also look machine-generated (a digit, or at least
/// 20 characters). Entropy is Shannon entropy in bits per character over the value's characters.
/// </remarks>
public sealed record SecretRedactorOptions
{
    /// <summary>Minimum length of a value assigned to a password-like name. Default 6.</summary>
    public int PasswordMinLength { get; init; } = 6;

    /// <summary>Minimum entropy (bits/char) of a value assigned to a password-like name. Default 2.0.</summary>
    public double PasswordMinEntropy { get; init; } = 2.0;

    /// <summary>Minimum length of a value assigned to a token-like name. Default 10.</summary>
    public int TokenMinLength { get; init; } = 10;

    /// <summary>Minimum entropy (bits/char) of a value assigned to a token-like name. Default 3.0.</summary>
    public double TokenMinEntropy { get; init; } = 3.0;
}
