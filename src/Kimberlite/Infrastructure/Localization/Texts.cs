using System.Resources;

[assembly: NeutralResourcesLanguage("fr")]

namespace Kimberlite.Infrastructure.Localization;

/// <summary>Marker of the user interface texts: Texts.resx (French), Texts.en.resx, Texts.pt.resx.</summary>
public sealed class Texts;
