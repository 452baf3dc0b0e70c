using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

[Trait("Category", TestCategories.Unit)]
public sealed class TypeScriptExtractionTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void Extract_TypeScriptModule_ReturnsInterfacesEnumsAliasesAndMembers()
    {
        var facts = _extractor.Extract("typescript", "src/users/service.ts", Facts.Fixture("service.ts"), TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "src.users.service.Entity Interface 6-9 parent=",
                "src.users.service.Entity.id Property 7-7 parent=src.users.service.Entity",
                "src.users.service.Entity.validate Method 8-8 parent=src.users.service.Entity",
                "src.users.service.User Interface 11-13 parent=",
                "src.users.service.User.email Property 12-12 parent=src.users.service.User",
                "src.users.service.UserId TypeAlias 15-15 parent=",
                "src.users.service.Role Enum 17-20 parent=",
                "src.users.service.UserService Class 22-41 parent=",
                "src.users.service.UserService.logger Field 24-24 parent=src.users.service.UserService",
                "src.users.service.UserService.constructor Constructor 26-28 parent=src.users.service.UserService",
                "src.users.service.UserService.register Method 30-36 parent=src.users.service.UserService",
                "src.users.service.isEmail Function 43-46 parent=",
                "src.users.service.isEmail.normalize Function 44-44 parent=src.users.service.isEmail",
            ],
            Facts.Symbols(facts));
        Assert.Equal(
            "async register(email: string, role: Role = Role.Member): Promise<User>",
            Facts.Symbol(facts, "src.users.service.UserService.register").Signature);
        Assert.Equal(0, facts.SyntaxErrors);
    }

    [Fact]
    public void Extract_TypeScriptModule_ReturnsCallsImportsAndInheritance()
    {
        var facts = _extractor.Extract("typescript", "src/users/service.ts", Facts.Fixture("service.ts"), TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                " -> Injectable @22",
                "src.users.service.UserService.logger -> Logger @24",
                "src.users.service.UserService.register -> crypto :: randomUUID @31",
                "src.users.service.UserService.register -> isEmail @32",
                "src.users.service.UserService.register -> this.repo :: save @33",
                "src.users.service.UserService.register -> this.logger :: log @34",
                "src.users.service.UserService -> this.repo :: close @39",
                "src.users.service.isEmail.normalize -> s :: trim @44",
                "src.users.service.isEmail.normalize -> s.trim() :: toLowerCase @44",
                "src.users.service.isEmail -> /.+@.+/ :: test @45",
                "src.users.service.isEmail -> normalize @45",
            ],
            Facts.Calls(facts));
        Assert.Equal(
            [
                "@nestjs/core [Injectable] @1",
                "./repository [Repository] @2",
                "crypto [] as crypto @3",
                "./logger [] as Logger @4",
                "./logger [LogLevel] as Level @4",
            ],
            Facts.Imports(facts));
        Assert.Equal(
            [
                "src.users.service.User : Entity @11",
                "src.users.service.UserService : BaseService @23",
                "src.users.service.UserService : Disposable @23",
                "src.users.service.UserService : Auditable @23",
            ],
            Facts.Inheritance(facts));
    }

    [Fact]
    public void Extract_TsxComponent_ReturnsComponentsCallsAndImports()
    {
        var facts = _extractor.Extract("tsx", "web/components/Profile.tsx", Facts.Fixture("Profile.tsx"), TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "web.components.Profile.ProfileProps Interface 4-6 parent=",
                "web.components.Profile.ProfileProps.userId Property 5-5 parent=web.components.Profile.ProfileProps",
                "web.components.Profile.Profile Function 8-16 parent=",
                "web.components.Profile.Profile.load Function 11-13 parent=web.components.Profile.Profile",
                "web.components.Profile.ProfileCard Class 18-22 parent=",
                "web.components.Profile.ProfileCard.render Method 19-21 parent=web.components.Profile.ProfileCard",
            ],
            Facts.Symbols(facts));
        Assert.Equal(
            [
                "web.components.Profile.Profile -> useState @9",
                "web.components.Profile.Profile.load -> fetchUser @12",
                "web.components.Profile.Profile.load -> fetchUser(userId) :: then @12",
                "web.components.Profile.Profile.load -> setName @12",
            ],
            Facts.Calls(facts));
        Assert.Equal(["react [] as React @1", "react [useState] @1", "../api/users [fetchUser] @2"], Facts.Imports(facts));
        Assert.Equal(["web.components.Profile.ProfileCard : Component @18"], Facts.Inheritance(facts));
        Assert.Equal(0, facts.SyntaxErrors);
    }
}
