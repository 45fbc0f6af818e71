using Strata.Model;

namespace Strata.Dsl;

public partial class SchemaScope
{
    private bool _commentDeclared;
    private string? _schemaComment;

    /// <summary>
    /// COMMENT ON SCHEMA: <c>db.Schema("billing").Comment("Invoices and payments.")</c>. On <c>public</c>
    /// (<c>db.Schema("public")</c>), which PostgreSQL creates with the comment 'standard public schema', null says that it
    /// has none; leave the call out to keep PostgreSQL's. Returns the scope, so that declarations can follow.
    /// </summary>
    public SchemaScope Comment(string? comment)
    {
        _schemaComment = comment;
        if (!_commentDeclared)
        {
            _commentDeclared = true;
            AddToModel(model => model with { SchemaComments = model.SchemaComments.Append(new SchemaComment(Name, _schemaComment)).ToValueList() });
        }
        return this;
    }
}
