using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;

namespace Strata.IntegrationTests.Introspection;

/// <summary>
/// A child that declares a parent's column again less strictly than the parent (nullable under NOT NULL, without the
/// parent's default): the database the model builds reads back as the same model, so check and push find nothing.
/// </summary>
public sealed class InheritedColumnRoundTripTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_child_declaring_a_parents_column_nullable_and_without_its_default_reads_back_as_declared()
    {
        var declared = Scenarios.RoundTrip.Schema(db =>
        {
            db.Table("items", t =>
            {
                t.Column("id", Types.Integer).NotNull().Default(5);
                t.Column("name", Types.Text).Default("unnamed");
                t.Column("code", Types.Text).NotNull();
            });
            db.Table("special", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("name", Types.Text);
                t.Column("code", Types.Text).Default("own");
                t.Inherits("items");
            });
            db.Table("deep", t =>
            {
                t.Column("code", Types.Text);
                t.Inherits("special");
            });
        });

        await using var database = await fixture.CreateDatabaseAsync("inherited_column_round_trip");
        foreach (var statement in PostgresSqlGenerator.CreateAll(declared))
            await database.ExecuteAsync(statement.Sql);
        await using var connection = await database.OpenConnectionAsync();
        var read = await PostgresIntrospector.ReadAsync(connection);

        Assert.Empty(SchemaDiffer.Diff(read, declared, RenameDecisions.None).Changes);
        Assert.Equal(declared.Tables, read.Tables);
    }
}
