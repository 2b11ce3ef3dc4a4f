using System.Text;
using QRCoder;

namespace NixFleet.Web.Rendering;

/// <summary>
/// A QR code as one SVG path (QRCoder computes the modules; the drawing is ours): no inline style, so it renders
/// under the CSP, and it scales without blur. Dark modules are drawn row by row, runs merged into one rectangle.
/// </summary>
public static class QrSvg
{
    public static string Path(string text, out int size)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M); // quiet zone included
        var rows = data.ModuleMatrix;
        size = rows.Count;
        var d = new StringBuilder();
        for (var y = 0; y < rows.Count; y++)
        {
            var row = rows[y];
            for (var x = 0; x < row.Length;)
            {
                if (!row[x]) { x++; continue; }
                var start = x;
                while (x < row.Length && row[x]) x++;
                d.Append('M').Append(start).Append(' ').Append(y).Append('h').Append(x - start).Append("v1h-").Append(x - start).Append('z');
            }
        }
        return d.ToString();
    }
}
