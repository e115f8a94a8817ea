using System.Net;
using System.Text;

namespace Cosched.Study.Report;

/// <summary>Writes a <see cref="ReportDocument"/> as one self-contained HTML page (report.html): the
/// plots are embedded as data URIs, so the file opens from disk, copied anywhere, without its folder.</summary>
public static class HtmlWriter
{
    public static string Render(ReportDocument document, string directory, string title = "Cosched study")
    {
        var html = new StringBuilder();
        html.AppendLine($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
            td:not(:first-child), th:not(:first-child) { text-align: right; }
            th { background: #f3f3f3; }
            figure { display: inline-block; margin: 0.5em; }
            figure img { max-width: 100%; width: 40em; border: 1px solid #eee; }
            figcaption { font-size: 0.9em; color: #555; }
            </style></head><body>
            """);
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case ReportDocument.Heading h:
                    html.AppendLine($"<h{h.Level}>{E(h.Text)}</h{h.Level}>");
                    break;
                case ReportDocument.Paragraph p:
                    html.AppendLine($"<p>{E(p.Text)}</p>");
                    break;
                case ReportDocument.BulletList list:
                    html.AppendLine("<ul>");
                    foreach (var item in list.Items) html.AppendLine($"<li>{E(item)}</li>");
                    html.AppendLine("</ul>");
                    break;
                case ReportDocument.Table table:
                    html.AppendLine("<table><thead><tr>" + string.Concat(table.Header.Select(c => $"<th>{E(c)}</th>")) + "</tr></thead><tbody>");
                    foreach (var row in table.Rows) html.AppendLine("<tr>" + string.Concat(row.Select(c => $"<td>{E(c)}</td>")) + "</tr>");
                    html.AppendLine("</tbody></table>");
                    break;
                case ReportDocument.Image image:
                    var bytes = File.ReadAllBytes(Path.Combine(directory, image.File));
                    html.AppendLine($"<figure><img alt=\"{E(image.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(bytes)}\"><figcaption>{E(image.Caption)}</figcaption></figure>");
                    break;
            }
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    /// <summary>Markdown's backticks become code; everything else is escaped text.</summary>
    private static string E(string text)
    {
        var parts = text.Split('`');
        var html = new StringBuilder();
        for (int i = 0; i < parts.Length; i++)
            html.Append(i % 2 == 1 ? $"<code>{WebUtility.HtmlEncode(parts[i])}</code>" : WebUtility.HtmlEncode(parts[i]));
        return html.ToString();
    }
}
