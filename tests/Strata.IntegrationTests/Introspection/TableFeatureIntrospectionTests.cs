using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;

namespace Strata.IntegrationTests.Introspection;

/// <summary>What the introspector reads of UNLOGGED, DEFERRABLE keys, NO INHERIT and MATCH FULL, and what pull still names as not carried.</summary>
public sealed class TableFeatureIntrospectionTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Unlogged_tables_deferrable_keys_no_inherit_checks_and_match_full_keys_are_read_and_not_listed_as_not_carried()
    {
        await using var database = await fixture.CreateDatabaseAsync("tablefeat_read", """
            CREATE TABLE stores (id integer, code text, PRIMARY KEY (id, code));
            CREATE UNLOGGED TABLE sessions (
                id integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED,
                token text UNIQUE NULLS NOT DISTINCT DEFERRABLE,
                store_id integer,
                store_code text,
                CONSTRAINT sessions_store FOREIGN KEY (store_id, store_code) REFERENCES stores MATCH FULL,
                CONSTRAINT token_long CHECK (length(token) > 10) NO INHERIT);
            CREATE TABLE nothing ();
            """);
        await using var connection = await database.OpenConnectionAsync();

        var model = await PostgresIntrospector.ReadAsync(connection);

        var sessions = model.FindTable(new QualifiedName("public", "sessions"))!;
        Assert.True(sessions.Unlogged);
        Assert.False(model.FindTable(new QualifiedName("public", "stores"))!.Unlogged);
        Assert.Equal(new PrimaryKey("sessions_pkey", ValueList.Create("id"), Deferrable: true, InitiallyDeferred: true), sessions.PrimaryKey);
        Assert.Equal(new UniqueConstraint("sessions_token_key", ValueList.Create("token"), NullsNotDistinct: true, Deferrable: true), Assert.Single(sessions.Uniques));
        Assert.Equal(new CheckConstraint("token_long", "length(token) > 10", NoInherit: true), Assert.Single(sessions.Checks));
        Assert.True(Assert.Single(sessions.ForeignKeys).MatchFull);
        Assert.Empty(model.FindTable(new QualifiedName("public", "nothing"))!.Columns);
        Assert.Empty(await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions(), default));
    }

    [Fact]
    public async Task A_constraint_not_yet_validated_is_named_as_pulled_validated()
    {
        await using var database = await fixture.CreateDatabaseAsync("tablefeat_not_valid", """
            CREATE TABLE parents (id integer PRIMARY KEY);
            CREATE TABLE children (id integer, parent_id integer);
            ALTER TABLE children ADD CONSTRAINT id_positive CHECK (id > 0) NOT VALID;
            ALTER TABLE children ADD CONSTRAINT children_parent FOREIGN KEY (parent_id) REFERENCES parents NOT VALID;
            """);
        await using var connection = await database.OpenConnectionAsync();

        var notCarried = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions(), default);

        Assert.Equal([
            new UnmodelledObject("constraint not valid", "children_parent on public.children", "pulled as a validated constraint"),
            new UnmodelledObject("constraint not valid", "id_positive on public.children", "pulled as a validated constraint"),
        ], notCarried);
    }
}
