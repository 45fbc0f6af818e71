using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;

namespace Strata.IntegrationTests.Introspection;

/// <summary>COMMENT ON SCHEMA and CLUSTER ON read into the model, and the CLUSTER ON marks the model cannot hold named by pull.</summary>
public sealed class ClusterOnAndSchemaCommentIntrospectionTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Schema_comments_differing_from_PostgreSQLs_and_clustered_indexes_are_read_and_the_others_named()
    {
        await using var database = await fixture.CreateDatabaseAsync("cluster_comments", """
            CREATE EXTENSION IF NOT EXISTS btree_gist;
            CREATE SCHEMA billing;
            COMMENT ON SCHEMA billing IS 'Invoices and the customer''s payments';
            CREATE SCHEMA quiet;
            CREATE TABLE billing.invoices (id integer PRIMARY KEY, issued date);
            CREATE INDEX invoices_issued ON billing.invoices (issued);
            ALTER TABLE billing.invoices CLUSTER ON invoices_issued;
            CREATE TABLE billing.payments (id integer CONSTRAINT payments_key PRIMARY KEY);
            ALTER TABLE billing.payments CLUSTER ON payments_key;
            CREATE MATERIALIZED VIEW billing.totals AS SELECT id FROM billing.invoices;
            CREATE INDEX totals_id ON billing.totals (id);
            ALTER MATERIALIZED VIEW billing.totals CLUSTER ON totals_id;
            CREATE TABLE billing.bookings (room integer, during tsrange, EXCLUDE USING gist (room WITH =, during WITH &&));
            ALTER TABLE billing.bookings CLUSTER ON bookings_room_during_excl;
            CREATE TABLE billing.events (at date) PARTITION BY RANGE (at);
            CREATE INDEX events_at ON billing.events (at);
            CREATE TABLE billing.events_2025 PARTITION OF billing.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            ALTER TABLE billing.events_2025 CLUSTER ON events_2025_at_idx;
            """);
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var model = await PostgresIntrospector.ReadAsync(connection);
        var found = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());

        // public keeps PostgreSQL's 'standard public schema': nothing to carry; quiet has no comment.
        Assert.Equal([new SchemaComment("billing", "Invoices and the customer's payments")], model.SchemaComments);
        Assert.Equal("invoices_issued", model.FindTable(new QualifiedName("billing", "invoices"))!.ClusterOn);
        Assert.Equal("payments_key", model.FindTable(new QualifiedName("billing", "payments"))!.ClusterOn);
        Assert.Equal("totals_id", model.FindView(new QualifiedName("billing", "totals"))!.ClusterOn);
        Assert.Null(model.FindTable(new QualifiedName("billing", "bookings"))!.ClusterOn);
        Assert.Null(model.FindTable(new QualifiedName("billing", "events_2025"))!.ClusterOn);
        Assert.Equal(
            ["billing.bookings_room_during_excl", "billing.events_2025_at_idx"],
            found.Where(o => o.Kind == "clustered index").Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(found, o => o.Kind == "comment" && o.Name.StartsWith("on schema", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publics_comment_removed_or_its_own_is_read()
    {
        await using var removed = await fixture.CreateDatabaseAsync("public_comment_removed", "COMMENT ON SCHEMA public IS NULL;");
        await using var own = await fixture.CreateDatabaseAsync("public_comment_own", "COMMENT ON SCHEMA public IS 'Shared';");
        await using var removedConnection = await removed.DataSource.OpenConnectionAsync();
        await using var ownConnection = await own.DataSource.OpenConnectionAsync();

        Assert.Equal([new SchemaComment("public", null)], (await PostgresIntrospector.ReadAsync(removedConnection)).SchemaComments);
        Assert.Equal([new SchemaComment("public", "Shared")], (await PostgresIntrospector.ReadAsync(ownConnection)).SchemaComments);
    }
}
