using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Kimberlite.Library;

/// <summary>Tesseract on one image, through its command line: the text it reads, or null where it is not installed or reads nothing.</summary>
public sealed class Ocr(IOptions<LibraryOptions> options, ILogger<Ocr> logger)
{
    public async Task<string?> ReadAsync(byte[] image, string extension, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kimberlite-ocr-{Guid.NewGuid():N}{extension}");
        // Readable by this process's user only: a page of an organisation's document is no business of the machine's other users.
        var write = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            write.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var file = new FileStream(path, write))
            await file.WriteAsync(image, cancellationToken);
        try
        {
            var start = new ProcessStartInfo(options.Value.OcrCommand)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                ArgumentList = { path, "stdout", "-l", options.Value.OcrLanguages },
            };
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new Win32Exception();
            }
            catch (Win32Exception)
            {
                // Not installed: the page stays marked as a scan, never silently empty.
                return null;
            }
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var errors = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                {
                    logger.LogWarning("{Command} could not read an image: {Errors}", options.Value.OcrCommand, await errors);
                    return null;
                }
                var text = (await output).Replace("\r\n", "\n").Trim();
                return text.Length > 0 ? text : null;
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
