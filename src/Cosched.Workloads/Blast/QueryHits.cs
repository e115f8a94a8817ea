using System.Text;

namespace Cosched.Workloads.Blast;

/// <summary>The hits of one query gathered from every database fragment, merged the way BLAST
/// orders them: database sequences by best E-value, then best score, then the later sequence first
/// (s_EvalueCompareHSPLists); HSPs of a sequence by score.</summary>
public sealed class QueryHits
{
    private readonly List<(Hsp Hsp, string SubjectId)> _hsps = [];

    public void Add(in Hsp hsp, string subjectId) => _hsps.Add((hsp, subjectId));

    public string ToTabular(string queryId, int maxTargets)
    {
        var subjects = _hsps.GroupBy(h => h.Hsp.SubjectOid)
            .Select(g =>
            {
                var list = g.ToList();
                list.Sort((x, y) => Hsp.CompareByScore(x.Hsp, y.Hsp));
                return (Oid: g.Key, Hsps: list, BestEValue: list.Min(h => h.Hsp.EValue), BestScore: list[0].Hsp.Score);
            })
            .OrderBy(s => s.BestEValue).ThenByDescending(s => s.BestScore).ThenByDescending(s => s.Oid)
            .Take(maxTargets);
        var text = new StringBuilder();
        foreach (var subject in subjects)
            foreach (var (hsp, id) in subject.Hsps)
                TabularFormat.AppendLine(text, queryId, id, hsp);
        return text.ToString();
    }
}
