namespace CodeGraphRag.Hosting.Configuration;

/// <summary>How callers authenticate (<c>CodeGraphRag:Auth:Mode</c>; <c>ApiKey,Jwt</c> accepts either).</summary>
[Flags]
internal enum AuthModes
{
    /// <summary>No authentication: every caller may do everything.</summary>
    None = 0,

    /// <summary>Metadata <c>x-api-key</c>.</summary>
    ApiKey = 1,

    /// <summary><c>authorization: Bearer &lt;jwt&gt;</c>.</summary>
    Jwt = 2,
}
