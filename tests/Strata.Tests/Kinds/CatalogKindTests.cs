using System.Reflection;
using Strata.Model;
using Strata.Postgres.Introspection;

namespace Strata.Tests.Kinds;

/// <summary>
/// The introspection's registries of kinds (<see cref="CatalogKind"/> in CatalogQueries, <see cref="UserTypeKind"/> in
/// ColumnTypes), which kinds fill from their own files: their queries join the one batch, in their order.
/// </summary>
public sealed class CatalogKindTests
{
    [Fact]
    public void Every_catalog_kind_declared_is_registered_and_its_query_follows_the_built_in_ones_in_its_order()
    {
        var declared = Declared<CatalogKind>(typeof(CatalogQueries));

        Assert.NotEmpty(declared);
        Assert.Equal(declared.OrderBy(k => k.Order), CatalogQueries.Kinds);
        Assert.Equal(CatalogQueries.Kinds.Select(k => k.Query()), CatalogQueries.All.TakeLast(CatalogQueries.Kinds.Length));
        Assert.Equal(8 + CatalogQueries.Kinds.Length, CatalogQueries.All.Count);
        // Before PostgreSQL 15 the same queries, the same number: one batch, one result set per query.
        Assert.Equal(CatalogQueries.All.Count, CatalogQueries.ForServer(new Version(14, 0)).Count);
    }

    [Theory]
    [InlineData(12, new[] { "indnullsnotdistinct", "prosqlbody", "tgparentid" })]
    [InlineData(13, new[] { "indnullsnotdistinct", "prosqlbody" })]
    [InlineData(14, new[] { "indnullsnotdistinct" })]
    public void An_older_server_is_asked_for_no_catalog_column_it_lacks(int major, string[] missing)
    {
        var queries = CatalogQueries.ForServer(new Version(major, 0));

        foreach (var column in missing)
        {
            Assert.Contains(CatalogQueries.All, q => q.Contains(column, StringComparison.Ordinal));
            Assert.DoesNotContain(queries, q => q.Contains(column, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_kinds_part_of_the_reads_query_is_in_it_once_and_its_object_letters_are_its_own()
    {
        var letters = new List<char>("dciv");
        foreach (var kind in CatalogQueries.Kinds)
        {
            letters.AddRange(kind.ReadsObjectKinds);
            if (kind.Reads?.Invoke() is not { } part)
                continue;
            Assert.Equal(2, CatalogQueries.Reads.Split(part.Objects).Length);
            foreach (var letter in kind.ReadsObjectKinds)
                Assert.Contains($"SELECT '{letter}', ", part.Objects);
        }
        Assert.Equal(letters.Distinct(), letters);
    }

    [Fact]
    public void Every_user_type_kind_declared_is_registered_and_maps_its_typtype_to_its_column_type()
    {
        var declared = Declared<UserTypeKind>(typeof(ColumnTypes));

        Assert.NotEmpty(declared);
        Assert.Equal(declared.OrderBy(k => k.Order), ColumnTypes.UserTypeKinds);
        Assert.Equal(ColumnTypes.UserTypeKinds.Select(k => k.TypType).Distinct(), ColumnTypes.UserTypeKinds.Select(k => k.TypType));
        foreach (var kind in ColumnTypes.UserTypeKinds)
        {
            var name = new QualifiedName("billing", "thing");
            Assert.Equal(kind.Named(name), ColumnTypes.FromCatalog(false, 0, -1, "thing", "billing", kind.TypType, "billing.thing"));
            Assert.Equal(kind.Named(name).Array(), ColumnTypes.FromCatalog(true, 0, -1, "thing", "billing", kind.TypType, "billing.thing[]"));
            // The Columns query reads a type of the kind that no kind's query reads as PostgreSQL formats it.
            Assert.Contains($"WHEN et.typtype = '{kind.TypType}' AND NOT (", CatalogQueries.Columns);
        }
        // A typtype no kind maps (a range type) stays the type as PostgreSQL formats it.
        Assert.Equal(new ColumnType(TypeKind.Raw, RawName: "billing.pair"), ColumnTypes.FromCatalog(false, 0, -1, "pair", "billing", "r", "billing.pair"));
        // A typtype a kind maps only for some of its types (a table's row type is typtype 'c' but not a composite type) says which in SQL.
        Assert.Contains("WHEN et.typtype = 'c' AND NOT EXISTS (SELECT FROM pg_catalog.pg_class rc WHERE rc.oid = et.typrelid AND rc.relkind = 'c') THEN 'b'", CatalogQueries.Columns);
    }

    /// <summary>The registration fields of <paramref name="registry"/> that hold a <typeparamref name="T"/>, from every partial part.</summary>
    private static List<T> Declared<T>(Type registry) =>
        registry.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => f.FieldType == typeof(T)).Select(f => (T)f.GetValue(null)!).ToList();
}
