using Strata.Model;
using Strata.Snapshots;
using static Strata.Tests.Snapshots.SnapshotErrorTests;
using static Strata.Tests.Snapshots.SnapshotSchemas;

namespace Strata.Tests.Snapshots;

/// <summary>A domain's problems in a snapshot are reported at the same path and line, and in the same order, wherever its reading lives.</summary>
public class DomainSnapshotErrorTests
{
    private static string ValidJson() => SnapshotSerializer.Serialize(new Snapshot("abc", null, DatabaseModel.Empty with
    {
        Tables = L(new Table("public", "notes", L(new Column("mail", new ColumnType(TypeKind.Domain, DomainName: new QualifiedName("public", "email")))))),
        Domains = L(new Domain("public", "email", new ColumnType(TypeKind.Text), Checks: L(new CheckConstraint("email_check", "VALUE ~ '@'")))),
    }, default));

    private static SnapshotFormatException Read(string json) => Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

    [Fact]
    public void A_domain_column_type_without_its_domain_names_the_type()
    {
        var json = ValidJson().Replace("\"domain\": {", "\"enum\": {");

        var error = Read(json);

        Assert.Equal("tables[0].columns[0].type: a domain type needs \"domain\": {\"schema\": …, \"name\": …}", error.Problem);
        Assert.Equal(LineOf(json, "\"type\": {"), error.Line);
    }

    [Fact]
    public void A_broken_domain_name_of_a_column_type_is_reported_before_the_type_kinds_own_check()
    {
        var json = ValidJson().Replace("\"kind\": \"domain\"", "\"kind\": \"enum\"").Replace("\"name\": \"email\",\n", "");

        var error = Read(json);

        Assert.Equal("tables[0].columns[0].type.domain: the property \"name\" is missing; it must be a string", error.Problem);
        Assert.Equal(LineOf(json, "\"domain\": {"), error.Line);
    }

    [Fact]
    public void A_domain_without_a_base_type_or_with_a_check_without_a_name_names_the_domain()
    {
        var noBase = ValidJson().Replace("\"baseType\": {\n        \"kind\": \"text\"\n      },\n", "");
        var checkName = ValidJson().Replace("\"name\": \"email_check\"\n", "\"nom\": \"email_check\"\n");

        Assert.Equal("domains[0]: the property \"baseType\" is missing; it must be an object", Read(noBase).Problem);
        Assert.Equal(LineOf(noBase, "\"domains\": [") + 1, Read(noBase).Line);
        Assert.Equal("domains[0].checks[0].nom: unknown property \"nom\"", Read(checkName).Problem);
        Assert.Equal(LineOf(checkName, "\"nom\""), Read(checkName).Line);
    }
}
