using Strata.Diffing;
using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// COMMENT ON SCHEMA and CLUSTER ON (issue 16): each migrated A → B and back on PostgreSQL, read back, and written as C#.
/// </summary>
public sealed class ClusterOnAndSchemaCommentScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static RenameDecisions Renames(params Rename[] renames) => new(renames, []);

    private static void Invoices(SchemaScope s, string? clusterOn, string issuedIndex = "invoices_issued", bool descending = false) =>
        s.Table("invoices", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("issued", Types.Date);
            t.Column("customer", Types.Integer).Unique();
            (descending ? t.Index(IndexKey.Column("issued").Desc()) : t.Index("issued")).Named(issuedIndex);
            if (clusterOn is not null)
                t.ClusterOn(clusterOn);
        });

    [Fact]
    public Task Setting_changing_and_removing_schema_comments_public_included() => RoundTripAsync(
        db =>
        {
            db.Schema("billing").Comment("Invoices");
            db.Schema("archive").Comment("Old rows");
        },
        db =>
        {
            db.Schema("billing").Comment("Invoices and the customer's \"payments\"");
            db.Schema("archive");
            db.Schema("fresh").Comment("New");
            db.Schema("public").Comment(null);
        });

    [Fact]
    public Task Giving_public_a_comment_of_its_own() => RoundTripAsync(
        _ => { },
        db => db.Schema("public").Comment("Shared tables"));

    [Fact]
    public Task A_renamed_schema_keeps_its_comment_and_may_change_it() => RoundTripAsync(
        db =>
        {
            db.Schema("billing").Comment("Invoices");
            db.Schema("archive").Comment("Old rows");
        },
        db =>
        {
            db.Schema("ledger").Comment("Invoices");
            db.Schema("history").Comment("Rows kept for the auditors");
        },
        Renames(new Rename(ObjectKind.Schema, "billing", "ledger"), new Rename(ObjectKind.Schema, "archive", "history")));

    [Fact]
    public Task Creating_tables_and_a_materialized_view_clustered_on_an_index_a_key_and_a_unique_constraint() => RoundTripAsync(
        _ => { },
        db =>
        {
            var billing = db.Schema("billing");
            Invoices(billing, "invoices_issued");
            billing.Table("payments", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.ClusterOn("payments_pkey");
            });
            billing.Table("customers", t =>
            {
                t.Column("email", Types.Text).Unique();
                t.ClusterOn("customers_email_key");
            });
            billing.MaterializedView("by_customer", "SELECT customer, count(*) AS n FROM billing.invoices GROUP BY customer",
                v => v.Index("customer").Unique()).ClusterOn("by_customer_customer_idx");
        });

    [Fact]
    public Task Moving_the_clustered_index_to_another_index_and_to_the_key_and_removing_it() => RoundTripAsync(
        db =>
        {
            Invoices(db.Schema("billing"), "invoices_issued");
            Invoices(db.Schema("archive"), "invoices_pkey");
            Invoices(db.Schema("staging"), "invoices_customer_key");
        },
        db =>
        {
            Invoices(db.Schema("billing"), "invoices_customer_key");
            Invoices(db.Schema("archive"), "invoices_issued");
            Invoices(db.Schema("staging"), null);
        });

    [Fact]
    public Task A_clustered_index_renamed_keeps_its_mark_and_one_built_again_is_marked_again() => RoundTripAsync(
        db =>
        {
            Invoices(db.Schema("billing"), "invoices_issued");
            Invoices(db.Schema("archive"), "invoices_issued");
        },
        db =>
        {
            Invoices(db.Schema("billing"), "invoices_by_issue", issuedIndex: "invoices_by_issue");
            Invoices(db.Schema("archive"), "invoices_issued", descending: true);
        });

    [Fact]
    public Task A_clustered_table_moved_with_its_renamed_schema() => RoundTripAsync(
        db => Invoices(db.Schema("billing").Comment("Invoices"), "invoices_issued"),
        db => Invoices(db.Schema("ledger").Comment("Invoices"), "invoices_pkey"),
        Renames(new Rename(ObjectKind.Schema, "billing", "ledger")));

    [Fact]
    public Task Clustering_on_an_exclusion_constraints_gist_index() => RoundTripAsync(
        db => db.Table("bookings", t =>
        {
            t.Column("during", Types.Raw("tsrange"));
            t.Exclude("gist", e => e.Column("during", "&&")).Named("bookings_no_overlap");
        }),
        db => db.Table("bookings", t =>
        {
            t.Column("during", Types.Raw("tsrange"));
            t.Exclude("gist", e => e.Column("during", "&&")).Named("bookings_no_overlap");
            t.ClusterOn("bookings_no_overlap");
        }));
}
