using System.Text;

namespace Kimberlite.Accounts;

/// <summary>Sends a message to a person. No mail server is assumed: the default writes .eml files to a pickup folder.</summary>
public interface IMailSender
{
    Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken = default);
}

/// <summary>Writes each message as an .eml file that any mail server (or a person) can pick up.</summary>
public sealed class PickupFolderMailSender(string directory, TimeProvider clock) : IMailSender
{
    public async Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var message = new StringBuilder()
            .Append("From: Kimberlite <no-reply@kimberlite.invalid>\r\n")
            .Append($"To: {to.ReplaceLineEndings("")}\r\n")
            .Append($"Subject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(subject.ReplaceLineEndings(" ")))}?=\r\n")
            .Append($"Date: {now:R}\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
            .Append(body.ReplaceLineEndings("\r\n"))
            .ToString();
        var path = Path.Combine(directory, $"{now:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml");
        // A message holds a sign-in code or an invitation: 0600 in a 0700 folder, like everything in the data folder.
        await using var file = Infrastructure.Data.PrivateFiles.CreateFile(path);
        await file.WriteAsync(new UTF8Encoding(false).GetBytes(message), cancellationToken);
    }
}
