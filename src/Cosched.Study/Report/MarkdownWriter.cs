using System.Text;

namespace Cosched.Study.Report;

/// <summary>Writes a <see cref="ReportDocument"/> as GitHub-flavoured Markdown (report.md); plots stay
/// beside it as PNG files.</summary>
public static class MarkdownWriter
{
    public static string Render(ReportDocument document)
    {
        var text = new StringBuilder();
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case ReportDocument.Heading h:
                    text.Append('#', h.Level).Append(' ').AppendLine(h.Text);
                    break;
                case ReportDocument.Paragraph p:
                    text.AppendLine(p.Text);
                    break;
                case ReportDocument.BulletList list:
                    foreach (var item in list.Items) text.Append("- ").AppendLine(item);
                    break;
                case ReportDocument.Table table:
                    text.AppendLine(RenderTable(table));
                    continue;
                case ReportDocument.Image image:
                    text.AppendLine($"![{image.Caption}]({image.File})");
                    break;
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    public static string RenderTable(ReportDocument.Table table)
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", table.Header.Select(Escape)) + " |");
        // Columns of numbers are right-aligned, columns of words left-aligned.
        text.AppendLine("|" + string.Concat(table.Header.Select((_, i) =>
            table.Rows.All(row => i >= row.Count || row[i].Length == 0 || char.IsDigit(row[i][0])) ? "---:|" : "---|")));
        foreach (var row in table.Rows) text.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
        return text.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|");
}
