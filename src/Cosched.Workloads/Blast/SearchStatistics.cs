namespace Cosched.Workloads.Blast;

/// <summary>Karlin-Altschul statistics of blastp with BLOSUM62 and gaps (11, 1): E-values, bit
/// scores, score cut-offs and BLAST's length adjustment of the search space.</summary>
public static class SearchStatistics
{
    // Gapped BLOSUM62 11/1 (NCBI's table): lambda, K, H, and the alpha, beta of the length adjustment.
    public const double GappedLambda = 0.267;
    public const double GappedK = 0.041;
    public static readonly double GappedLogK = Math.Log(GappedK);
    public const double Alpha = 1.9;
    public const double Beta = -30;

    // Ungapped BLOSUM62 with standard amino-acid frequencies.
    public const double UngappedLambda = 0.3176;
    public const double UngappedK = 0.134;

    public static double BitScore(int score) => (GappedLambda * score - GappedLogK) / Math.Log(2);

    /// <summary>The Karlin-Altschul E-value over an effective search space.</summary>
    public static double KarlinEValue(int score, double searchSpace) => searchSpace * GappedK * Math.Exp(-GappedLambda * score);

    // Gumbel parameters of BLOSUM62 11/1 for Spouge's finite-size correction (NCBI's tables): C,
    // a, alpha, sigma gapped; a and alpha ungapped; G = open + extend.
    private const double SpougeA = 1.9, SpougeAlpha = 42.6028, SpougeSigma = 43.6362;
    private const double SpougeAUngapped = 0.7916, SpougeAlphaUngapped = 4.96466, SpougeG = 12;
    private const double SpougeB = 2 * SpougeG * (SpougeAUngapped - SpougeA);
    private const double SpougeBeta = 2 * SpougeG * (SpougeAlphaUngapped - SpougeAlpha);
    private const double SpougeTau = 2 * SpougeG * (SpougeAlphaUngapped - SpougeSigma);

    /// <summary>The E-value blastp reports: Spouge's finite-size correction of the pairwise
    /// Karlin-Altschul expectation for a query of length m against one subject of length n,
    /// scaled from that subject to the whole database (BLAST_SpougeStoE).</summary>
    public static double EValue(int score, int queryLength, int subjectLength, long databaseLength)
    {
        double lambda = GappedLambda, y = score;
        const double oneOverSqrtTwoPi = 0.39894228040143267793994605993438;
        double dbScale = (double)databaseLength / subjectLength;

        double mLiY = queryLength - (SpougeA * y + SpougeB);
        double viY = Math.Max(2.0 * SpougeAlpha / lambda, SpougeAlpha * y + SpougeBeta);
        double sqrtViY = Math.Sqrt(viY);
        double mF = mLiY / sqrtViY;
        double pMF = NormalCdf(mF);
        double p1 = mLiY * pMF + sqrtViY * oneOverSqrtTwoPi * Math.Exp(-0.5 * mF * mF);

        double nLjY = subjectLength - (SpougeA * y + SpougeB);
        double vjY = viY;
        double sqrtVjY = Math.Sqrt(vjY);
        double nF = nLjY / sqrtVjY;
        double pNF = NormalCdf(nF);
        double p2 = nLjY * pNF + sqrtVjY * oneOverSqrtTwoPi * Math.Exp(-0.5 * nF * nF);

        double cY = Math.Max(2.0 * SpougeSigma / lambda, SpougeSigma * y + SpougeTau);
        double area = p1 * p2 + cY * pMF * pNF;
        return area * GappedK * Math.Exp(-lambda * y) * dbScale;
    }

    /// <summary>The score whose Spouge E-value first falls to <paramref name="evalue"/> for a query
    /// against a subject of the database's average length (BLAST_SpougeEtoS): the gapped cut-off
    /// where it is lower than the Karlin-Altschul one, as it is for very short queries.</summary>
    public static int SpougeCutoffScore(double evalue, int queryLength, int subjectLength, long databaseLength)
    {
        int low = 0, high = Math.Max((int)(Math.Log(databaseLength / evalue) / GappedLambda), 2);
        if (EValue(high, queryLength, subjectLength, databaseLength) > evalue)
        {
            while (EValue(high, queryLength, subjectLength, databaseLength) > evalue)
            {
                low = high;
                high *= 2;
            }
        }
        while (high - low > 1)
        {
            int middle = (low + high) / 2;
            if (EValue(middle, queryLength, subjectLength, databaseLength) > evalue) low = middle;
            else high = middle;
        }
        return low;
    }

    /// <summary>The standard normal distribution function, erfc(-x/sqrt 2)/2, accurate in the far
    /// tail (where Spouge's correction subtracts nearly equal terms).</summary>
    private static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2.0));

    /// <summary>The complementary error function (Chebyshev fit, relative error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }

    /// <summary>The smallest raw score whose E-value is at most <paramref name="evalue"/> over an
    /// effective search space (BLAST_Cutoffs; it sets the gapped stages' score cut-off).</summary>
    public static int CutoffScore(double evalue, double searchSpace)
    {
        evalue = Math.Max(evalue, 1.0e-297);
        int s = (int)Math.Ceiling(Math.Log(GappedK * searchSpace / evalue) / GappedLambda);
        return Math.Max(s, 1);
    }

    /// <summary>BLAST's length adjustment: the expected length of an alignment that is just
    /// significant, removed from the query and from every database sequence before the search space
    /// is computed. The fixed-point iteration of NCBI's BLAST_ComputeLengthAdjustment.</summary>
    public static int LengthAdjustment(int queryLength, long databaseLength, int databaseSequences)
    {
        double k = GappedK, logK = GappedLogK, alphaOverLambda = Alpha / GappedLambda, beta = Beta;
        double m = queryLength, n = databaseLength, count = databaseSequences;
        // The largest ell with K (m - ell)(n - N ell) > max(m, n).
        double a = count, mb = m * count + n, c = n * m - Math.Max(m, n) / k;
        if (c < 0) return 0;
        double ellMax = 2 * c / (mb + Math.Sqrt(mb * mb - 4 * a * c));
        double ellMin = 0, ell = 0;
        bool converged = false;
        for (int i = 1; i <= 20; i++)
        {
            double ellBar = alphaOverLambda * (logK + Math.Log((m - ell) * (n - count * ell))) + beta;
            if (ellBar >= ell)
            {
                ellMin = ell;
                if (ellBar - ellMin <= 1.0) { converged = true; break; }
                if (ellMin == ellMax) break;
            }
            else
            {
                ellMax = ell;
            }
            ell = ellMin <= ellBar && ellBar <= ellMax ? ellBar : (i == 1 ? ellMax : (ellMin + ellMax) / 2);
        }
        int adjustment = (int)ellMin;
        if (converged)
        {
            double next = Math.Ceiling(ellMin);
            if (next <= ellMax && alphaOverLambda * (logK + Math.Log((m - next) * (n - count * next))) + beta >= next)
                adjustment = (int)next;
        }
        return adjustment;
    }

    /// <summary>The effective search space of one query: (m - ell)(n - N ell).</summary>
    public static double SearchSpace(int queryLength, long databaseLength, int databaseSequences)
    {
        int ell = LengthAdjustment(queryLength, databaseLength, databaseSequences);
        double m = Math.Max(queryLength - ell, 1);
        double n = Math.Max(databaseLength - (double)databaseSequences * ell, 1);
        return m * n;
    }
}
