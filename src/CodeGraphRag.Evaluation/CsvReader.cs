using System.Text;

namespace CodeGraphRag.Evaluation;

/// <summary>A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF, newlines inside quotes.</summary>
internal sealed class CsvReader(TextReader reader)
{
    private readonly StringBuilder _field = new();

    /// <summary>1-based line on which the last record returned started.</summary>
    public int Line { get; private set; }

    private int _nextLine = 1;

    /// <summary>The next record, or null at the end.</summary>
    public List<string>? ReadRecord()
    {
        var c = reader.Read();
        while (c is '\r' or '\n')
        {
            if (c == '\n')
            {
                _nextLine++;
            }

            c = reader.Read();
        }

        if (c < 0)
        {
            return null;
        }

        Line = _nextLine;
        var fields = new List<string>();
        _field.Clear();
        var quoted = false;
        var startOfField = true;
        while (true)
        {
            if (c < 0)
            {
                if (quoted)
                {
                    throw new EvalFormatException(Line, "unterminated quoted field at the end of the file.");
                }

                fields.Add(_field.ToString());
                return fields;
            }

            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _nextLine++;
                    }

                    _field.Append(ch);
                }
            }
            else if (ch == '"' && startOfField)
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
                startOfField = true;
                c = reader.Read();
                continue;
            }
            else if (ch is '\n' or '\r')
            {
                if (ch == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                _nextLine++;
                fields.Add(_field.ToString());
                return fields;
            }
            else
            {
                _field.Append(ch);
            }

            startOfField = false;
            c = reader.Read();
        }
    }
}
