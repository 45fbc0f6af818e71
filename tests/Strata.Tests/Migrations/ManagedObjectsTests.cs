using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Tests.Sql;

namespace Strata.Tests.Migrations;

/// <summary>Which objects Strata manages: the schemas a model uses, and a live model without the tracking table.</summary>
public class ManagedObjectsTests
{
    private static readonly QualifiedName TrackingInPublic = new("public", "__strata_migrations");
    private static readonly QualifiedName TrackingInStrata = new("strata", "__strata_migrations");

    private static DatabaseModel Live(params string[] tables) => DatabaseModel.Empty with
    {
        Schemas = tables.Select(t => QualifiedName.Parse(t).Schema).Where(s => s != QualifiedName.DefaultSchema).Distinct().ToValueList(),
        Tables = tables.Select(t => QualifiedName.Parse(t)).Select(n => new Table(n.Schema, n.Name, ValueList.Create(new Column("id", new ColumnType(TypeKind.Integer))))).ToValueList(),
    };

    [Fact]
    public void Schemas_in_use_are_the_declared_ones_and_those_holding_an_object_in_ordinal_order()
    {
        var model = MigrationSql.Build(db =>
        {
            db.Schema("sales").Table("orders", t => t.Column("id", Types.Integer));
            db.Schema("audit");
            db.Schema("reporting").Sequence("numbers");
            db.Enum("mood", "happy", "sad");
        });

        Assert.Equal(["audit", "public", "reporting", "sales"], model.SchemasInUse());
        Assert.Equal(["sales", "public", "reporting"], model.ObjectSchemas());
        Assert.Empty(DatabaseModel.Empty.SchemasInUse());
    }

    [Fact]
    public void The_tracking_table_in_public_is_left_out_and_everything_else_in_public_is_kept()
    {
        var live = Live("public.__strata_migrations", "public.users");

        var managed = ManagedObjects.WithoutTrackingTable(live, TrackingInPublic);

        Assert.Equal([new QualifiedName("public", "users")], managed.Tables.Select(t => t.QualifiedName));
    }

    [Fact]
    public void The_tracking_schema_goes_with_the_tracking_table_only_when_nothing_else_is_in_it()
    {
        var alone = ManagedObjects.WithoutTrackingTable(Live("strata.__strata_migrations", "public.users"), TrackingInStrata);
        var shared = ManagedObjects.WithoutTrackingTable(Live("strata.__strata_migrations", "strata.settings"), TrackingInStrata);
        var withEnum = ManagedObjects.WithoutTrackingTable(
            Live("strata.__strata_migrations") with { Enums = ValueList.Create(new EnumType("strata", "mood", ValueList.Create("a"))) }, TrackingInStrata);

        Assert.Empty(alone.Schemas);
        Assert.Equal(["public.users"], alone.Tables.Select(t => t.QualifiedName.ToString()));
        Assert.Equal(["strata"], shared.Schemas);
        Assert.Equal(["strata.settings"], shared.Tables.Select(t => t.QualifiedName.ToString()));
        Assert.Equal(["strata"], withEnum.Schemas);
        Assert.Empty(withEnum.Tables);
    }
}
