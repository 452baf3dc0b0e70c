using CodeGraphRag.Parsing.Classification;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.Classification;

[Trait("Category", TestCategories.Unit)]
public sealed class TestPathsTests
{
    [Theory]
    [InlineData("testing/test_main.py")]
    [InlineData("tests/unit/helpers.py")]
    [InlineData("src/Test/Foo.cs")]
    [InlineData("pkg/__tests__/router.js")]
    [InlineData("spec/models/user_spec.rb")]
    [InlineData("xarray/tests/conftest.py")]
    [InlineData("conftest.py")]
    [InlineData("test_auth.py")]
    [InlineData("requests/utils_test.py")]
    [InlineData("storage/cache_test.go")]
    [InlineData("web/router.test.ts")]
    [InlineData("web/router.spec.tsx")]
    [InlineData("src/main/java/com/acme/InvoiceTest.java")]
    [InlineData("Billing/InvoiceTests.cs")]
    [InlineData("go/testdata/input.go")]
    public void IsTest_TestFoldersAndNames(string path)
    {
        Assert.True(TestPaths.IsTest(path));
    }

    [Theory]
    [InlineData("src/_pytest/python.py")]
    [InlineData("src/_pytest/pytester.py")]
    [InlineData("requests/models.py")]
    [InlineData("contest/Latest.java")]
    [InlineData("app/Contest.cs")]
    [InlineData("lib/attestation.py")]
    [InlineData("docs/testing.md")]
    [InlineData("src/TEST.md")]
    [InlineData("pkg/test")]
    [InlineData("Test.java")]
    public void IsTest_SourceFiles_AreNot(string path)
    {
        Assert.False(TestPaths.IsTest(path));
    }
}
