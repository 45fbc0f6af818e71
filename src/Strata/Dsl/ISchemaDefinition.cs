namespace Strata.Dsl;

/// <summary>
/// Implemented by the class in a schema project that describes the database. <c>strata generate</c>
/// loads the project's assembly, creates the class with its parameterless constructor and calls
/// <see cref="Define"/>.
/// </summary>
/// <example>
/// <code>
/// public sealed class AppSchema : ISchemaDefinition
/// {
///     public void Define(SchemaBuilder db)
///     {
///         var mood = db.Enum("mood", "sad", "ok", "happy");
///         db.Table("users", t =>
///         {
///             t.Column("id", Types.BigInt).Identity().PrimaryKey();
///             t.Column("email", Types.Varchar(320)).NotNull().Unique();
///             t.Column("mood", mood).Default("ok");
///         });
///     }
/// }
/// </code>
/// </example>
public interface ISchemaDefinition
{
    void Define(SchemaBuilder db);
}
