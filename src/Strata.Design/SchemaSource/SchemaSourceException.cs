using Strata.Postgres.Configuration;

namespace Strata.Design.SchemaSource;

/// <summary>
/// The schema project cannot give a model: its .csproj is missing or unreadable, it does not build, it has
/// no (or more than one) <see cref="Dsl.ISchemaDefinition"/>, or the schema it defines is invalid. A
/// problem of the project's configuration, with the file or class to fix and the remedy.
/// </summary>
public sealed class SchemaSourceException(string message, IReadOnlyList<string>? details = null, string? remedy = null, Exception? inner = null)
    : ConfigurationException(message, details, remedy, inner);

/// <summary>
/// The user's own code in the schema project threw while Strata ran it (a seeder's constructor): the
/// project is configured right, the run failed. <see cref="Exception.InnerException"/> is what it threw.
/// </summary>
public sealed class SchemaCodeFailedException(string message, Exception inner) : Exception(message, inner);
