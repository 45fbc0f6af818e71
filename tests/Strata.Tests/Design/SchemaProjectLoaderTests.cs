using Strata.Design.SchemaSource;
using Strata.Dsl;
using Strata.Model;

namespace Strata.Tests.Design;

/// <summary>
/// Loading a built schema assembly and running its <see cref="ISchemaDefinition"/>, without the CLI: this
/// test assembly stands in for the user's, with the definitions below.
/// </summary>
public sealed class SchemaProjectLoaderTests
{
    private static readonly string ThisAssembly = typeof(SchemaProjectLoaderTests).Assembly.Location;

    [Fact]
    public void The_named_definition_is_created_and_its_model_built()
    {
        var model = SchemaProjectLoader.Run(ThisAssembly, typeof(LoaderFixtures.UsersSchema).FullName);

        var table = Assert.Single(model.Tables);
        Assert.Equal(new QualifiedName("public", "users"), table.QualifiedName);
    }

    [Fact]
    public void Several_definitions_without_schemaType_is_a_schema_source_error_listing_them()
    {
        var error = Assert.Throws<SchemaSourceException>(() => SchemaProjectLoader.Run(ThisAssembly, null));

        Assert.Contains("ISchemaDefinition classes; Strata needs to know which one describes the database", error.Message);
        Assert.Contains(typeof(LoaderFixtures.UsersSchema).FullName!, error.Details);
        Assert.Contains("\"schemaType\"", error.Remedy);
    }

    [Fact]
    public void A_schemaType_that_is_not_in_the_assembly_is_a_schema_source_error()
    {
        var error = Assert.Throws<SchemaSourceException>(() => SchemaProjectLoader.Run(ThisAssembly, "App.Schema.Missing"));

        Assert.Contains("\"schemaType\" in strata.json names App.Schema.Missing", error.Message);
        Assert.Contains(typeof(LoaderFixtures.UsersSchema).FullName!, error.Details);
    }

    [Fact]
    public void A_definition_whose_Define_throws_is_named_with_the_exception_and_keeps_it_as_the_cause()
    {
        var error = Assert.Throws<SchemaSourceException>(() => SchemaProjectLoader.Run(ThisAssembly, typeof(LoaderFixtures.ThrowingSchema).FullName));

        Assert.Equal($"{typeof(LoaderFixtures.ThrowingSchema).FullName}.Define threw InvalidOperationException: no tables today", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void A_definition_without_a_parameterless_constructor_is_refused()
    {
        var error = Assert.Throws<SchemaSourceException>(() => SchemaProjectLoader.Run(ThisAssembly, typeof(LoaderFixtures.NeedsArgumentSchema).FullName));

        Assert.Contains("needs a public parameterless constructor", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_a_schema_source_error()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("strata-loader-").FullName, "App.Schema.dll");
        File.WriteAllText(path, "not a PE file");
        try
        {
            var error = Assert.Throws<SchemaSourceException>(() => SchemaProjectLoader.Run(path, null));

            Assert.Equal($"{path} is not a .NET assembly", error.Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}

/// <summary>Schema definitions that <see cref="SchemaProjectLoaderTests"/> loads from this assembly.</summary>
public static class LoaderFixtures
{
    public sealed class UsersSchema : ISchemaDefinition
    {
        public void Define(SchemaBuilder db) => db.Table("users", t => t.Column("id", Types.BigInt).Identity().PrimaryKey());
    }

    public sealed class ThrowingSchema : ISchemaDefinition
    {
        public void Define(SchemaBuilder db) => throw new InvalidOperationException("no tables today");
    }

    public sealed class NeedsArgumentSchema(string name) : ISchemaDefinition
    {
        public void Define(SchemaBuilder db) => db.Table(name, _ => { });
    }
}
