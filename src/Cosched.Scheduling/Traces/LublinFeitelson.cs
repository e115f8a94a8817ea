using System.Globalization;

namespace Cosched.Scheduling.Traces;

/// <summary>Synthetic workload traces from Lublin and Feitelson's model of rigid parallel jobs
/// ("The workload on parallel supercomputers: modeling the characteristics of rigid jobs", JPDC
/// 63(11), 2003), the model the Parallel Workloads Archive offers beside its real logs.</summary>
/// <remarks>
/// The model has two job classes, interactive and batch, each with its own arrival stream; the
/// trace interleaves them by arrival time and marks the class in the queue field (0 interactive, 1
/// batch, as SWF's convention and the authors' program have it). For each job:
/// <list type="bullet">
/// <item>Size: serial with probability <c>SerialProb</c>; otherwise log2(size) is drawn from a
/// two-stage uniform (on [ULow, UMed] with probability UProb, else on [UMed, UHi]), rounded to an
/// integer (a power of two) with probability <c>Pow2Prob</c>.</item>
/// <item>Run time: ln(run time) is hyper-gamma, gamma(a1, b1) with probability p and gamma(a2, b2)
/// otherwise, where p = pa * size + pb (clamped to [0, 1]): with pa &lt; 0 larger jobs run longer.</item>
/// <item>Arrivals: ln(inter-arrival time) is gamma(aarr * arar, barr), spent against a daily cycle of
/// 48 half-hour buckets whose weights follow the gamma(anum, bnum) density, so more jobs arrive in
/// busy hours.</item>
/// </list>
/// The constants are those of the authors' program (lublin99.c, "A Workload Model for Parallel
/// Computer Systems", Uri Lublin and Dror Feitelson), which publishes the paper's fitted values.
/// There p depends on the size itself, not its log; its pa values were fitted that way.
/// The code here is written afresh: the samplers are Marsaglia and Tsang's gamma method and
/// Box-Muller, not the program's sums of exponentials (gamma(639) would take 639 logarithms).
/// </remarks>
public static class LublinFeitelson
{
    // One class's parameters. Sizes: the model was fitted to a 128-processor machine (UHi = 7) and
    // the program's advice is to move UHi to the machine's log2 size and keep UMed a fixed distance
    // below it; UHiBelowMachine and UMedBelowHi are those distances.
    private sealed record JobClass(
        double SerialProb, double Pow2Prob, double ULow, double UMedBelowHi, double UHiBelowMachine, double UProb,
        double A1, double B1, double A2, double B2, double PA, double PB,
        double AArr, double BArr, double ANum, double BNum, int Queue);

    // Interactive: UHi = 5.5 (45 nodes of 128), UMed = 3.
    private static readonly JobClass Interactive = new(
        SerialProb: 0.1541, Pow2Prob: 0.625, ULow: 1, UMedBelowHi: 2.5, UHiBelowMachine: 1.5, UProb: 0.705,
        A1: 3.8351, B1: 0.6605, A2: 7.073, B2: 0.6856, PA: -0.0118, PB: 0.9156,
        AArr: 6.5510 * 0.9797, BArr: 0.6621, ANum: 8.9186, BNum: 3.6680, Queue: 0);

    // Batch: UHi = 7 (the whole machine), UMed = 5.
    private static readonly JobClass Batch = new(
        SerialProb: 0.2927, Pow2Prob: 0.6686, ULow: 1.2, UMedBelowHi: 2, UHiBelowMachine: 0, UProb: 0.875,
        A1: 6.57, B1: 0.823, A2: 639.1, B2: 0.0156, PA: -0.003, PB: 0.6986,
        AArr: 6.0415 * 1.0519, BArr: 0.8531, ANum: 6.1271, BNum: 5.2740, Queue: 1);

    // The program rejects draws above these (ln seconds): runs over about two days (e^12 s) and
    // gaps over about five days (e^13 s) are outside what was fitted.
    private const double MaxLnRunSeconds = 12;
    private const double MaxLnGapSeconds = 13;

    private const int Buckets = 48;
    private const double BucketSeconds = 24 * 3600.0 / Buckets;
    // The fitted daily-cycle density starts at 5:30 (bucket 11 in the program's 1-based count), not
    // at midnight, so that the night's lull is not cut in two.
    private const int CycleStartBucket = 11;

    // Run-time estimates follow Mu'alem and Feitelson's "f model" (IEEE TPDS 12(6), 2001): users
    // ask for the run time times a factor uniform in [1, F]; they also ask in whole minutes. The
    // model itself has no estimates, but EASY backfilling needs them, and real estimates are never
    // below the run time of a job that was not killed.
    private const double EstimateFactorMax = 5;

    /// <summary>Generates <paramref name="jobs"/> jobs for a machine of <paramref name="maxProcessors"/>
    /// processors (also the largest job), the same trace for the same seed.</summary>
    /// <param name="load">0 keeps the model's own arrival rate. Otherwise submit times are stretched
    /// or squeezed around the first submission so that the offered load on
    /// <paramref name="maxProcessors"/> is exactly this: the model's arrival rate was fitted to one
    /// 128-node machine's users, so on any other size (or to study a scheduler under light and
    /// heavy load) the rate is the one free knob. The daily cycle stretches with it.</param>
    public static SwfTrace Generate(int jobs, int maxProcessors, int seed, double load = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxProcessors, 1);
        if (!(load >= 0) || double.IsInfinity(load)) throw new ArgumentOutOfRangeException(nameof(load), load, "the load must be 0 or positive");

        var random = new Random(seed);
        var interactive = new ArrivalStream(Interactive, random);
        var batch = new ArrivalStream(Batch, random);
        double uHi = Math.Log2(maxProcessors);

        var submits = new double[jobs];
        var sizes = new int[jobs];
        var runs = new double[jobs];
        var queues = new int[jobs];
        double work = 0;
        for (int i = 0; i < jobs; i++)
        {
            // The class whose next job comes first provides this one, as in the program.
            var stream = interactive.Next <= batch.Next ? interactive : batch;
            submits[i] = stream.Next;
            stream.Advance(random);
            var type = stream.Class;
            sizes[i] = Size(type, uHi, maxProcessors, random);
            runs[i] = RunSeconds(type, sizes[i], random);
            queues[i] = type.Queue;
            work += sizes[i] * runs[i];
        }

        double first = submits[0], span = submits[^1] - first;
        double stretch = load > 0 && span > 0 ? work / (maxProcessors * span) / load : 1;

        var list = new SwfJob[jobs];
        for (int i = 0; i < jobs; i++)
        {
            // Milliseconds: what SWF files written by SwfWriter keep, so a trace survives a round trip.
            double submit = Math.Round(first + (submits[i] - first) * stretch, 3);
            double requested = Math.Ceiling(runs[i] * (1 + random.NextDouble() * (EstimateFactorMax - 1)) / 60) * 60;
            list[i] = new SwfJob(i + 1, submit, SwfJob.Missing, runs[i], sizes[i], SwfJob.Missing, SwfJob.Missing,
                sizes[i], requested, SwfJob.Missing, 1, SwfJob.Missing, SwfJob.Missing, SwfJob.Missing, queues[i],
                SwfJob.Missing, SwfJob.Missing, SwfJob.Missing);
        }

        var header = new List<string>
        {
            "Version: 2.2",
            "Computer: Cosched synthetic (Lublin-Feitelson 2003 model)",
            FormattableString.Invariant($"MaxJobs: {jobs}"),
            FormattableString.Invariant($"MaxRecords: {jobs}"),
            FormattableString.Invariant($"MaxProcs: {maxProcessors}"),
            "Queues: 0 interactive, 1 batch",
            FormattableString.Invariant($"Note: seed={seed} load={(load > 0 ? load.ToString("0.###", CultureInfo.InvariantCulture) : "0 (the model's own arrival rate)")}; requested time = run time x U[1,{EstimateFactorMax}] rounded up to a minute"),
        };
        return new SwfTrace(header, list);
    }

    private static int Size(JobClass type, double machineLog2, int maxProcessors, Random random)
    {
        double u = random.NextDouble();
        if (u <= type.SerialProb) return 1;
        // Keep the stages ordered on machines too small for the fitted offsets.
        double hi = Math.Max(0, machineLog2 - type.UHiBelowMachine);
        double low = Math.Min(type.ULow, hi);
        double med = Math.Clamp(hi - type.UMedBelowHi, low, hi);
        double log2 = random.NextDouble() <= type.UProb
            ? low + random.NextDouble() * (med - low)
            : med + random.NextDouble() * (hi - med);
        // The same uniform draw decides serial, power of two or any size, as the model's
        // proportions are of all jobs.
        if (u <= type.SerialProb + type.Pow2Prob) log2 = Math.Round(log2, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(Math.Round(Math.Pow(2, log2), MidpointRounding.AwayFromZero), 1, maxProcessors);
    }

    private static double RunSeconds(JobClass type, int size, Random random)
    {
        double p = Math.Clamp(type.PA * size + type.PB, 0, 1);
        double ln;
        do
        {
            ln = random.NextDouble() <= p ? Gamma(type.A1, type.B1, random) : Gamma(type.A2, type.B2, random);
        } while (ln > MaxLnRunSeconds);
        // Whole seconds, as logs record them; a job runs at least one.
        return Math.Max(1, Math.Round(Math.Exp(ln)));
    }

    // Gamma(shape, scale) by Marsaglia and Tsang ("A simple method for generating gamma variables",
    // ACM TOMS 26(3), 2000): constant work whatever the shape.
    internal static double Gamma(double shape, double scale, Random random)
    {
        if (shape < 1)
        {
            // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
            return Gamma(shape + 1, scale, random) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = 1 - random.NextDouble();
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || Math.Log(u) < 0.5 * x2 + d * (1 - v + Math.Log(v)))
                return d * v * scale;
        }
    }

    private static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // One class's arrivals. The inter-arrival draw, in seconds, is converted into "points"
    // (seconds over a bucket's length); each half-hour bucket costs its weight in points, a weight
    // of 1 being an average bucket. A busy bucket costs more, so more arrivals fall into it.
    private sealed class ArrivalStream
    {
        private readonly double[] weights;
        private int bucket;            // the bucket the clock is in (0 = 0:00-0:30)
        private double bucketStart;    // when it began, seconds from the start
        private double spent;          // points already spent in it, below its weight

        public ArrivalStream(JobClass type, Random random)
        {
            Class = type;
            weights = DailyCycle(type.ANum, type.BNum);
            Advance(random);           // the first job arrives one gap after the start, at midnight
        }

        public JobClass Class { get; }

        /// <summary>When this class's next job arrives, seconds from the start.</summary>
        public double Next { get; private set; }

        public void Advance(Random random)
        {
            double ln;
            do ln = Gamma(Class.AArr, Class.BArr, random); while (ln > MaxLnGapSeconds);
            double points = Math.Exp(ln) / BucketSeconds;
            while (spent + points >= weights[bucket])
            {
                points -= weights[bucket] - spent;
                spent = 0;
                bucket = (bucket + 1) % Buckets;
                bucketStart += BucketSeconds;
            }
            spent += points;
            Next = bucketStart + BucketSeconds * spent / weights[bucket];
        }

        // Bucket weights: the gamma(anum, bnum) probability of each bucket of the fitted day, over
        // their mean.
        private static double[] DailyCycle(double shape, double scale)
        {
            var weights = new double[Buckets];
            for (int i = CycleStartBucket; i < CycleStartBucket + Buckets; i++)
                weights[(i - 1) % Buckets] = LowerGamma(shape, (i + 0.5) / scale) - LowerGamma(shape, (i - 0.5) / scale);
            double mean = weights.Average();
            for (int i = 0; i < Buckets; i++) weights[i] /= mean;
            return weights;
        }

        // The lower incomplete gamma function without its 1/Gamma(a) factor, which the division by
        // the mean cancels: x^a e^-x sum_n x^n / (a (a+1) ... (a+n)). The series converges for every
        // x; here x is below 20.
        private static double LowerGamma(double a, double x)
        {
            if (x <= 0) return 0;
            double term = 1 / a, sum = term;
            for (int n = 1; n < 1000 && term > sum * 1e-15; n++)
            {
                term *= x / (a + n);
                sum += term;
            }
            return Math.Exp(a * Math.Log(x) - x) * sum;
        }
    }
}
