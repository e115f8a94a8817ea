namespace Cosched.Workloads.Blast;

/// <summary>The protein letters a database or query may hold, and their one-byte codes.</summary>
public static class ProteinAlphabet
{
    /// <summary>Letters in code order: the 20 amino acids, the ambiguity codes B, J, Z, X, the stop
    /// '*', then selenocysteine U and pyrrolysine O (scored as X, as BLAST+ does for letters its
    /// matrix file lacks).</summary>
    public const string Letters = "ARNDCQEGHILKMFPSTWYVBJZX*UO";

    /// <summary>Number of codes; every code is below 32, so a word of three letters fits 15 bits.</summary>
    public const int Size = 27;

    /// <summary>Bits per letter in a packed word.</summary>
    public const int BitsPerLetter = 5;

    public const byte X = 23;

    /// <summary>Code of each ASCII byte, or 255 for a byte that is no protein letter.</summary>
    private static readonly byte[] Codes = BuildCodes();

    private static byte[] BuildCodes()
    {
        var codes = new byte[256];
        Array.Fill(codes, (byte)255);
        for (int i = 0; i < Letters.Length; i++)
        {
            codes[Letters[i]] = (byte)i;
            codes[char.ToLowerInvariant(Letters[i])] = (byte)i;
        }
        return codes;
    }

    /// <summary>The code of a letter, or -1 when it is not a protein letter.</summary>
    public static int Encode(byte letter) => Codes[letter] == 255 ? -1 : Codes[letter];

    public static char Decode(byte code) => Letters[code];
}
