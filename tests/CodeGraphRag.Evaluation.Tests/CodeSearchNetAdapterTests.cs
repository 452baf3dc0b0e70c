using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Evaluation.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class CodeSearchNetAdapterTests
{
    // CGR: lines copied from docs/eval/codesearchnet/qrels_mapped.csv.gz (the last row is edited to in_corpus = 0).
    private const string Excerpt = """
        language,query,github_url,corpus_path,start_line,end_line,in_corpus,n_judgements,relevance_mean,relevance_max
        Python,convert int to string,https://github.com/DeepHorizons/iarm/blob/b913c9fd577b793a6bbced78b78a5d8d7cd88de4/iarm/arm_instructions/_meta.py#L126-L132,files/b913c9fd577b793a6bbced78b78a5d8d7cd88de4_iarm_arm_instructions__meta.py,126,132,1,2,2.0,3
        Python,convert int to string,https://github.com/MozillaSecurity/laniakea/blob/7e80adc6ae92c6c1332d4c08473bb271fb3b6833/laniakea/core/userdata.py#L43-L51,files/7e80adc6ae92c6c1332d4c08473bb271fb3b6833_laniakea_core_userdata.py,43,51,1,2,0.5,1
        Go,aes encryption,https://github.com/hyperledger/fabric/blob/49f496925df1e66198d7ec794849536c9f8b104b/bccsp/sw/aes.go#L78-L98,files/49f496925df1e66198d7ec794849536c9f8b104b_bccsp_sw_aes.go,78,98,1,1,3.0,3
        Go,all permutations of a list,https://github.com/JamesClonk/vultr/blob/fed59ad207c9bda0a5dfe4d18de53ccbb3d80c91/cmd/commands.go#L12-L190,files/fed59ad207c9bda0a5dfe4d18de53ccbb3d80c91_cmd_commands.go,12,190,1,1,0.0,0
        Java,connect to sql,https://github.com/Stratio/bdt/blob/55324d19e7497764ad3dd7139923e13eb9841d75/src/main/java/com/stratio/qa/specs/CommonG.java#L2120-L2167,files/55324d19e7497764ad3dd7139923e13eb9841d75_src_main_java_com_stratio_qa_specs_CommonG.java,2120,2167,0,1,3.0,3
        """;

    [Fact]
    public void Read_Excerpt_GroupsByLanguageAndQueryWithGradedSpans()
    {
        var queries = CodeSearchNetAdapter.Read(new StringReader(Excerpt));

        Assert.Equal(["csn/python/convert-int-to-string", "csn/go/aes-encryption"], queries.Select(q => q.Id));
        var python = queries[0];
        Assert.Equal("convert int to string", python.Query);
        Assert.Equal("python", python.Language);
        Assert.Equal(
            [
                new GoldItem("files/b913c9fd577b793a6bbced78b78a5d8d7cd88de4_iarm_arm_instructions__meta.py", 126, 132, 2.0),
                new GoldItem("files/7e80adc6ae92c6c1332d4c08473bb271fb3b6833_laniakea_core_userdata.py", 43, 51, 0.0),
            ],
            python.Gold);
    }

    [Fact]
    public void Read_MaxRelevanceAndNotInCorpus_AreOptIn()
    {
        var options = new CodeSearchNetOptions { UseMaxRelevance = true, IncludeNotInCorpus = true };

        var queries = CodeSearchNetAdapter.Read(new StringReader(Excerpt), options);

        Assert.Equal(3, queries.Count);
        Assert.Equal(3.0, queries[0].Gold[0].Grade);
        Assert.Equal("csn/java/connect-to-sql", queries[2].Id);
    }

    [Fact]
    public void Read_QuotedFieldWithComma_IsOneField()
    {
        const string csv = "language,query,corpus_path,start_line,end_line,in_corpus,relevance_mean,relevance_max\r\n" +
            "Ruby,\"sort, then \"\"dedupe\"\"\",files/a.rb,1,2,1,3.0,3\r\n";

        var q = Assert.Single(CodeSearchNetAdapter.Read(new StringReader(csv)));

        Assert.Equal("sort, then \"dedupe\"", q.Query);
        Assert.Equal("ruby", q.Language);
    }

    [Fact]
    public void Read_MissingColumn_ThrowsNamingIt()
    {
        var ex = Assert.Throws<EvalFormatException>(() => CodeSearchNetAdapter.Read(new StringReader("language,query\nGo,x\n")));

        Assert.Contains("'corpus_path'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadNumber_ThrowsWithLine()
    {
        var csv = Excerpt.Replace(",126,132,", ",abc,132,", StringComparison.Ordinal);

        var ex = Assert.Throws<EvalFormatException>(() => CodeSearchNetAdapter.Read(new StringReader(csv)));

        Assert.Equal(2, ex.Line);
        Assert.Contains("start_line", ex.Message, StringComparison.Ordinal);
    }
}
