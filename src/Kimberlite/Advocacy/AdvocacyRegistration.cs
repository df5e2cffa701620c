using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Advocacy;

public static class AdvocacyRegistration
{
    public static IHostApplicationBuilder AddKimberliteAdvocacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<AdvocacyBook>();
        builder.Services.AddScoped<BundledMeetings>();
        builder.Services.AddScoped<AdvocacyViews>();
        builder.Services.AddScoped<RecommendationImporter>();
        builder.Services.AddScoped<Discussion>();
        builder.Services.AddScoped<Pages.AdvocacyTexts>();
        // One form page each for a new record and for changing one: "new" is a second address of the edit page.
        builder.Services.Configure<RazorPagesOptions>(o =>
        {
            o.Conventions.AddPageRoute("/Advocacy/Pages/ItemForm", "advocacy/recommendations/new");
            o.Conventions.AddPageRoute("/Advocacy/Pages/MeetingForm", "advocacy/meetings/new");
        });
        return builder;
    }
}
