using System.Text.Json;
using Strata.Model;

// Row-level security in snapshot.json, in one file: the record of a table's security and its policies (the
// top-level "rowSecurity" list), the reader's fields for them, and the mappings both ways, as partial parts of the
// snapshot's central types, each registered once (see KindRegistry). A model without any has no "rowSecurity" key.
namespace Strata.Snapshots;

internal sealed record TableSecurityDocument
{
    public Flag? Enabled { get; set; }

    public Flag? Forced { get; set; }

    public List<PolicyDocument?>? Policies { get; set; }

    public string? Schema { get; set; }

    public string? Table { get; set; }
}

internal sealed record PolicyDocument
{
    /// <summary>all, select, insert, update or delete.</summary>
    public string? Command { get; set; }

    public string? Comment { get; set; }

    public string? Name { get; set; }

    /// <summary>What USING and WITH CHECK read (<see cref="ReadDocument"/>); absent when not known.</summary>
    public List<ReadDocument?>? Reads { get; set; }

    /// <summary>Set for a RESTRICTIVE policy; absent for a permissive one.</summary>
    public Flag? Restrictive { get; set; }

    public List<string?>? Roles { get; set; }

    public string? Using { get; set; }

    public string? WithCheck { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<TableSecurityDocument?>? RowSecurity { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<TableSecurityDocument?>? RowSecurity { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields PolicyFields = Register(new(Order: 40,
        [
            Field<SnapshotDocument>("rowSecurity", (ref Utf8JsonReader r, SnapshotDocument d) => d.RowSecurity = Objects(ref r, TableSecurityShape)),
        ],
        static () => new() { [typeof(TableSecurityDocument)] = TableSecurityShape.Names, [typeof(PolicyDocument)] = PolicyShape.Names }));

    private static Shape<TableSecurityDocument>? _tableSecurityShape;

    private static Shape<TableSecurityDocument> TableSecurityShape => _tableSecurityShape ??= new(() => new(),
        ("enabled", (ref Utf8JsonReader r, TableSecurityDocument d) => d.Enabled = Flag(ref r)),
        ("forced", (ref Utf8JsonReader r, TableSecurityDocument d) => d.Forced = Flag(ref r)),
        ("policies", (ref Utf8JsonReader r, TableSecurityDocument d) => d.Policies = Objects(ref r, PolicyShape)),
        ("schema", (ref Utf8JsonReader r, TableSecurityDocument d) => d.Schema = String(ref r)),
        ("table", (ref Utf8JsonReader r, TableSecurityDocument d) => d.Table = String(ref r)));

    private static Shape<PolicyDocument>? _policyShape;

    private static Shape<PolicyDocument> PolicyShape => _policyShape ??= new(() => new(),
        ("command", (ref Utf8JsonReader r, PolicyDocument d) => d.Command = String(ref r)),
        ("comment", (ref Utf8JsonReader r, PolicyDocument d) => d.Comment = String(ref r)),
        ("name", (ref Utf8JsonReader r, PolicyDocument d) => d.Name = String(ref r)),
        ("reads", (ref Utf8JsonReader r, PolicyDocument d) => d.Reads = Objects(ref r, ReadShape)),
        ("restrictive", (ref Utf8JsonReader r, PolicyDocument d) => d.Restrictive = Flag(ref r)),
        ("roles", (ref Utf8JsonReader r, PolicyDocument d) => d.Roles = Strings(ref r)),
        ("using", (ref Utf8JsonReader r, PolicyDocument d) => d.Using = String(ref r)),
        ("withCheck", (ref Utf8JsonReader r, PolicyDocument d) => d.WithCheck = String(ref r)));
}

internal static partial class SnapshotMapping
{
    private static SnapshotNames.Names<PolicyCommand>? _policyCommands;

    private static SnapshotNames.Names<PolicyCommand> PolicyCommands => _policyCommands ??= new("policy command");

    // After the built-in kinds: a snapshot's row-level security is read after its tables.
    internal static readonly KindMapping PolicyMapping = Register(new(Order: 40,
        static (model, document) => document.RowSecurity = Documents(model.RowSecurity, ToDocument),
        static (document, model) => model with { RowSecurity = Items(document.RowSecurity, "rowSecurity", ToTableSecurity) }));

    private static TableSecurityDocument ToDocument(TableSecurity security) => new()
    {
        Enabled = Flag.Of(security.Enabled),
        Forced = Flag.Of(security.Forced),
        Policies = Documents(security.Policies, ToDocument),
        Schema = security.Schema,
        Table = security.Table,
    };

    private static PolicyDocument ToDocument(Policy policy) => new()
    {
        Command = PolicyCommands.NameOf(policy.Command),
        Comment = policy.Comment,
        Name = policy.Name,
        Reads = ToDocuments(policy.Reads),
        Restrictive = Flag.Of(!policy.Permissive),
        Roles = Strings(policy.Roles),
        Using = policy.Using,
        WithCheck = policy.WithCheck,
    };

    private static TableSecurity ToTableSecurity(TableSecurityDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Table, "table"),
        document.Enabled is not null,
        document.Forced is not null,
        Items(document.Policies, "policies", ToPolicy));

    private static Policy ToPolicy(PolicyDocument document) => new(
        Required(document.Name, "name"),
        Name(document.Command, "command", PolicyCommands),
        document.Restrictive is null,
        Strings(document.Roles, "roles"),
        document.Using,
        document.WithCheck,
        document.Comment,
        ToReads(document.Reads));
}
