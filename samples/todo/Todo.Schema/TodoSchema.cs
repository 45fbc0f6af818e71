using Strata.Dsl;
using Strata.Model;

namespace Todo.Schema;

/// <summary>The database of a small to-do app: users, their lists, and the items on them.</summary>
public sealed class TodoSchema : ISchemaDefinition
{
    public void Define(SchemaBuilder db)
    {
        var priority = db.Enum("priority", "low", "normal", "high");

        db.Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Varchar(320)).NotNull().Unique();
            t.Column("display_name", Types.Text).NotNull();
            t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
            t.Index(IndexKey.Expression("lower(email)")).Named("users_email_lower_idx");
            t.Comment("People who sign in.");
        });

        db.Table("lists", t =>
        {
            t.Column("id", Types.Uuid).PrimaryKey().DefaultSql("gen_random_uuid()");
            t.Column("owner_id", Types.BigInt).NotNull().References("users", "id", onDelete: ReferentialAction.Cascade);
            t.Column("title", Types.Varchar(200)).NotNull().Check("length(title) > 0");
            t.Column("archived", Types.Boolean).NotNull().Default(false);
            t.Unique("owner_id", "title");
        });

        db.Table("items", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("list_id", Types.Uuid).NotNull().References("lists", "id", onDelete: ReferentialAction.Cascade);
            t.Column("title", Types.Text).NotNull();
            t.Column("priority", priority).NotNull().Default("normal");
            t.Column("due_on", Types.Date);
            t.Column("done_at", Types.TimestampTz()).Comment("When the item was ticked off; null while it is open.");
            t.Index("list_id", "due_on");
            t.Index("due_on").Named("items_open_due_idx").Where("done_at IS NULL");
        });

        db.View("open_items", "SELECT i.id, i.list_id, i.title, i.priority, i.due_on FROM items i WHERE i.done_at IS NULL")
            .Comment("Items not done yet.");
    }
}
