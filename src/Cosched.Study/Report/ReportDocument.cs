namespace Cosched.Study.Report;

/// <summary>The report's content, built once and written both as Markdown and as HTML.</summary>
public sealed class ReportDocument
{
    public abstract record Block;
    public sealed record Heading(int Level, string Text) : Block;
    public sealed record Paragraph(string Text) : Block;
    public sealed record BulletList(IReadOnlyList<string> Items) : Block;
    public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;
    /// <summary>A plot, by its file name relative to the report.</summary>
    public sealed record Image(string File, string Caption) : Block;

    public List<Block> Blocks { get; } = [];

    public void Add(Block block) => Blocks.Add(block);
}
