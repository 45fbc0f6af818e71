namespace Strata.Cli.Configuration;

// TEMPORARY SHIM (init branch): the env helper owns this file and its real schema; on merge take the
// env branch's version of this file. Only the name StrataJsonSchema.Text is relied on by `strata init`.
internal static class StrataJsonSchema
{
    public const string Text = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "strata.json",
          "type": "object",
          "properties": {
            "$schema": { "type": "string" },
            "schema": { "type": "string" },
            "migrations": { "type": "string" },
            "seed": { "type": "string" },
            "environments": { "type": "object" }
          },
          "required": ["schema"]
        }
        """;
}
