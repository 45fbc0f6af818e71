namespace Strata.Postgres.Configuration;

/// <summary>
/// The JSON schema of strata.json (draft 2020-12, schemas/strata.schema.json in the repository),
/// embedded in the tool so that <c>strata init</c> can write it beside strata.json for editors.
/// </summary>
public static class StrataJsonSchema
{
    /// <summary>The name strata.json's <c>"$schema"</c> refers to: <c>"./strata.schema.json"</c>.</summary>
    public const string FileName = "strata.schema.json";

    private static readonly Lazy<string> Schema = new(() =>
    {
        using var stream = typeof(StrataJsonSchema).Assembly.GetManifestResourceStream(FileName)
            ?? throw new InvalidOperationException($"The resource {FileName} is missing from {typeof(StrataJsonSchema).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The schema's text, as in the repository.</summary>
    public static string Text => Schema.Value;
}
