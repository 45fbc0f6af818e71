using Strata.Diffing;
using Strata.Model;
using Strata.Snapshots;

namespace Strata.Tests.Snapshots;

/// <summary>The kind of a rename a snapshot records: its word, and the choices a wrong or missing one lists, in the kinds' order.</summary>
public class SnapshotRenameKindTests
{
    private const string Source = "db/migrations/0001_init/snapshot.json";

    private const string Choices = "\"schema\", \"enum\", \"sequence\", \"table\", \"column\", \"index\", \"view\", \"domain\"";

    private static string WithDomainRename() =>
        SnapshotSerializer.Serialize(new Snapshot("abc", null, DatabaseModel.Empty, ValueList.Create(new Rename(ObjectKind.Domain, "public.email", "public.address"))));

    [Fact]
    public void A_rename_records_its_kinds_word_and_reads_back_as_the_same_kind()
    {
        var json = WithDomainRename();

        Assert.Contains("\"kind\": \"domain\"", json);
        Assert.Equal(ObjectKind.Domain, SnapshotSerializer.Deserialize(json, Source).Renames.Single().Kind);
    }

    [Fact]
    public void An_unknown_kind_of_rename_is_refused_with_every_kind_in_order()
    {
        var json = WithDomainRename().Replace("\"kind\": \"domain\"", "\"kind\": \"function\"");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Contains($"unknown object kind \"function\"; expected one of {Choices}", error.Message);
    }

    [Fact]
    public void A_rename_without_its_kind_is_refused_with_every_kind_in_order()
    {
        var json = WithDomainRename().Replace("\"kind\": \"domain\",", "");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Contains($"the property \"kind\" is missing; it must be one of {Choices}", error.Message);
    }
}
