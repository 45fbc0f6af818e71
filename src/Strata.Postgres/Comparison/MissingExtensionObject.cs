namespace Strata.Postgres.Comparison;

/// <summary>
/// A statement failed on a type, operator class, operator or function the server does not know: most often one an
/// extension provides (citext, gin_trgm_ops, gist_trgm_ops, hstore, uuid_generate_v4()), which the schema uses
/// without declaring the extension. Push and the migrations create a declared extension before what uses it.
/// </summary>
public static class MissingExtensionObject
{
    /// <summary>Whether the error is such an unknown object (SQLSTATE 42704 for a type or operator class, 42883 for a function or operator).</summary>
    public static bool Is(string sqlState, string messageText) =>
        (sqlState == "42704" && (messageText.StartsWith("operator class \"", StringComparison.Ordinal) || messageText.StartsWith("type \"", StringComparison.Ordinal))
            && messageText.Contains("\" does not exist", StringComparison.Ordinal))
        || (sqlState == "42883" && (messageText.StartsWith("function ", StringComparison.Ordinal) || messageText.StartsWith("operator does not exist", StringComparison.Ordinal)));

    /// <summary>What to do about it.</summary>
    public const string Remedy =
        "If an extension provides it (gin_trgm_ops and gist_trgm_ops: pg_trgm; citext: citext; hstore: hstore; uuid_generate_v4(): uuid-ossp), "
        + "declare the extension in the C# schema, db.Extension(\"pg_trgm\"): push and the migrations create it before what uses it. "
        + "Otherwise check the name in the C# schema.";
}
