using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

[Trait("Category", TestCategories.Unit)]
public sealed class JavaExtractionTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();
    private readonly SyntaxFacts _facts;

    public JavaExtractionTests() =>
        _facts = _extractor.Extract("java", "src/main/java/com/acme/orders/OrderService.java", Facts.Fixture("OrderService.java"), TestContext.Current.CancellationToken);

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void Extract_Class_ReturnsMembersOverloadsAndNestedTypes()
    {
        Assert.Equal(
            [
                "com.acme.orders.OrderService Class 9-52 parent=",
                "com.acme.orders.OrderService.repository Field 11-11 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderService.pending Field 12-12 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderService.OrderService Constructor 14-16 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderService.place Method 18-25 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderService.place`2 Method 27-29 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderService.validate Method 31-41 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderService.validate.run Method 33-38 parent=com.acme.orders.OrderService.validate",
                "com.acme.orders.OrderService.close Method 43-46 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderService.Status Enum 48-48 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderService.Status.NEW Field 48-48 parent=com.acme.orders.OrderService.Status",
                "com.acme.orders.OrderService.Status.SHIPPED Field 48-48 parent=com.acme.orders.OrderService.Status",
                "com.acme.orders.OrderService.Order Record 50-51 parent=com.acme.orders.OrderService",
                "com.acme.orders.OrderApi Interface 54-56 parent=",
                "com.acme.orders.OrderApi.place Method 55-55 parent=com.acme.orders.OrderApi",
            ],
            Facts.Symbols(_facts));
        Assert.Equal("@Override public Order place(String customer, int quantity)", Facts.Symbol(_facts, "com.acme.orders.OrderService.place").Signature);
    }

    [Fact]
    public void Extract_Class_ReturnsInvocationsAndObjectCreations()
    {
        Assert.Equal(
            [
                "com.acme.orders.OrderService.pending -> ArrayList @12",
                "com.acme.orders.OrderService.OrderService -> requireNonNull @15",
                "com.acme.orders.OrderService.place -> Order @20",
                "com.acme.orders.OrderService.place -> validate @21",
                "com.acme.orders.OrderService.place -> repository :: save @22",
                "com.acme.orders.OrderService.place -> pending :: add @23",
                "com.acme.orders.OrderService.place`2 -> place @28",
                "com.acme.orders.OrderService.validate -> Runnable @32",
                "com.acme.orders.OrderService.validate.run -> order :: quantity @35",
                "com.acme.orders.OrderService.validate.run -> IllegalArgumentException @36",
                "com.acme.orders.OrderService.validate -> check :: run @40",
                "com.acme.orders.OrderService.close -> pending :: clear @45",
            ],
            Facts.Calls(_facts));
    }

    [Fact]
    public void Extract_Class_ReturnsImportsAndInheritance()
    {
        Assert.Equal(
            [
                "java.util [ArrayList] @3",
                "java.util [List] @4",
                "java.util.concurrent [*] @5",
                "java.util.Objects [requireNonNull] @6",
            ],
            Facts.Imports(_facts));
        Assert.Equal(
            [
                "com.acme.orders.OrderService : AbstractService @10",
                "com.acme.orders.OrderService : OrderApi @10",
                "com.acme.orders.OrderService : AutoCloseable @10",
                "com.acme.orders.OrderApi : Api @54",
            ],
            Facts.Inheritance(_facts));
    }
}
