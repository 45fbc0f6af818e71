using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;
using Strata.Testing;

namespace Strata.IntegrationTests.Introspection;

/// <summary>Extensions read from the catalog: the extensions themselves, never their objects.</summary>
public sealed class ExtensionIntrospectionTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task The_objects_of_extensions_are_neither_modelled_nor_listed_as_not_carried()
    {
        // Contrib extensions that bring types (with arrays, casts, operators and operator classes), functions,
        // aggregates, domains (isn, lo), composite types (cube's), a view (pg_stat_statements) and a table-less set of functions.
        await using var database = await fixture.CreateDatabaseAsync("ext_objects", """
            CREATE SCHEMA ext;
            CREATE EXTENSION citext;
            CREATE EXTENSION hstore WITH SCHEMA ext;
            CREATE EXTENSION ltree;
            CREATE EXTENSION cube;
            CREATE EXTENSION isn;
            CREATE EXTENSION lo;
            CREATE EXTENSION pg_trgm;
            CREATE EXTENSION pgcrypto;
            CREATE EXTENSION btree_gist;
            CREATE EXTENSION intarray;
            CREATE EXTENSION tablefunc;
            CREATE EXTENSION pg_stat_statements;
            CREATE EXTENSION "uuid-ossp";
            CREATE EXTENSION seg;
            """);
        await using var connection = await database.OpenConnectionAsync();

        var model = await PostgresIntrospector.ReadAsync(connection, new IntrospectionOptions());
        var notCarried = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());

        Assert.Equal(
            ["hstore", "btree_gist", "citext", "cube", "intarray", "isn", "lo", "ltree", "pg_stat_statements", "pg_trgm", "pgcrypto", "seg", "tablefunc", "uuid-ossp"],
            model.Extensions.Select(e => e.Name));
        Assert.Equal(new Extension("hstore", "ext"), model.Extensions[0]);
        Assert.All(model.Extensions.Skip(1), e => Assert.Equal(new Extension(e.Name), e));
        Assert.Equal(DatabaseModel.Empty with { Schemas = ValueList.Create("ext"), Extensions = model.Extensions }, model);
        Assert.Empty(notCarried);
    }

    [Fact]
    public async Task A_version_and_a_comment_are_read_only_where_they_are_not_the_extension_s_own_and_an_update_reads_back_as_the_default()
    {
        await using var database = await fixture.CreateDatabaseAsync("ext_version", """
            CREATE EXTENSION citext VERSION '1.4';
            CREATE EXTENSION hstore;
            COMMENT ON EXTENSION hstore IS 'pairs';
            CREATE EXTENSION ltree;
            CREATE TABLE people (name citext);
            """);
        await using var connection = await database.OpenConnectionAsync();

        var model = await PostgresIntrospector.ReadAsync(connection, new IntrospectionOptions());

        Assert.Equal([new Extension("citext", Version: "1.4"), new Extension("hstore", Comment: "pairs"), new Extension("ltree")], model.Extensions);

        // To the default version, and back to the comment the extension comes with: the model's nulls.
        var target = model with { Extensions = ValueList.Create(new Extension("citext"), new Extension("hstore"), new Extension("ltree")) };
        var statements = PostgresSqlGenerator.Generate(SchemaDiffer.Diff(model, target, RenameDecisions.None));
        foreach (var statement in statements)
            await database.ExecuteAsync(statement.Sql);

        var updated = await PostgresIntrospector.ReadAsync(connection, new IntrospectionOptions());
        Assert.Equal(target, updated);
        await using var check = new Npgsql.NpgsqlCommand(
            "SELECT extversion || ' ' || obj_description(e.oid, 'pg_extension') FROM pg_extension e WHERE extname IN ('citext', 'hstore') ORDER BY extname", connection);
        await using var reader = await check.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("1.6 data type for case-insensitive character strings", reader.GetString(0));
        Assert.True(await reader.ReadAsync());
        Assert.Equal("1.8 data type for storing sets of (key, value) pairs", reader.GetString(0));
    }

    [Fact]
    public async Task An_extension_in_a_schema_outside_the_selection_is_listed_for_the_baseline_instead_of_modelled()
    {
        await using var database = await fixture.CreateDatabaseAsync("ext_selection", """
            CREATE SCHEMA app;
            CREATE SCHEMA shared;
            CREATE EXTENSION citext WITH SCHEMA shared;
            CREATE EXTENSION ltree WITH SCHEMA app;
            CREATE TABLE app.people (name shared.citext, path app.ltree);
            """);
        await using var connection = await database.OpenConnectionAsync();
        var selection = new IntrospectionOptions { IncludeSchemas = ["app"] };

        var model = await PostgresIntrospector.ReadAsync(connection, selection);
        var notCarried = await UnmodelledObjects.ReadAsync(connection, selection);

        Assert.Equal([new Extension("ltree", "app")], model.Extensions);
        Assert.Equal([new UnmodelledObject(UnmodelledObject.ExtensionKind, "citext", "version 1.6", "shared")], notCarried);
    }
}
