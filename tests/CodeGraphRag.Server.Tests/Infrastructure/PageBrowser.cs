using Microsoft.Playwright;

namespace CodeGraphRag.Server.Tests.Infrastructure;

/// <summary>
/// A real headless Chromium (the system's, e.g. Debian's <c>chromium</c> package; <c>CGR_CHROMIUM</c> names another)
/// driven by Playwright, with every console error, page error and failed request of its pages recorded.
/// </summary>
internal sealed class PageBrowser : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private PageBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Console errors, uncaught exceptions and failed requests (status >= 400 or no answer), in order.</summary>
    public List<string> Problems { get; } = [];

    /// <exception cref="InvalidOperationException">No Chromium is installed.</exception>
    public static async Task<PageBrowser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CGR_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : Candidates.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException(
                  "the search page tests need Chromium: install it (apt-get install chromium; .ci/run does) or set CGR_CHROMIUM to its executable");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                // CI runs as root, where Chromium's sandbox cannot start; these pages are our own, on loopback.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            });
            return new PageBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new page (its own context: no shared storage) whose problems land in <see cref="Problems"/>.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (Problems)
                {
                    Problems.Add("console: " + message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (Problems)
            {
                Problems.Add("page error: " + error);
            }
        };
        page.RequestFailed += (_, request) =>
        {
            lock (Problems)
            {
                Problems.Add($"request failed: {request.Method} {request.Url} {request.Failure}");
            }
        };
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
