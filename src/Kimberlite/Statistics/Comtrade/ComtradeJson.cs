using System.Text;
using System.Text.Json;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// The records of a Comtrade Plus API answer (<c>{"elapsedTime":…,"count":…,"data":[{…}],"error":…}</c>, or a bare
/// array of records), read one at a time from the stream: memory holds one record and a buffer, whatever the
/// file's size. Also keeps what the answer says beside its data: its error, or the <c>statusCode</c> and
/// <c>message</c> of a refused query.
/// </summary>
internal sealed class ComtradeJson(Stream stream)
{
    /// <summary>A record larger than this is no Comtrade record: the file is refused rather than read into memory.</summary>
    private const int MaxRecordBytes = 1 << 20;

    private static readonly Dictionary<string, int> Fields = ComtradeLayouts.Names.ToDictionary(n => n.Key, n => (int)n.Value);
    private readonly string?[] _values = new string?[ComtradeLayouts.PlusNames.Length];
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private bool _eof;
    private JsonReaderState _state;
    private enum Phase { Start, Root, Data, Skip, Done }
    private Phase _phase, _afterSkip;
    private int _skipDepth;
    private bool _bareArray;

    /// <summary>The records read so far: the "line" a problem of this file gives.</summary>
    public int Records { get; private set; }
    /// <summary>Whether the answer had a <c>data</c> array (or was one).</summary>
    public bool HasData { get; private set; }
    /// <summary>The answer's <c>error</c>, or the <c>message</c> of a refused query with its <c>statusCode</c>.</summary>
    public string? Error { get; private set; }
    public string? Message { get; private set; }
    public string? StatusCode { get; private set; }

    /// <summary>The current record's value of a field; empty when the record has none.</summary>
    public ReadOnlySpan<char> Field(int field) => _values[field];

    public bool Read()
    {
        while (true)
        {
            switch (Step())
            {
                case true:
                    Records++;
                    return true;
                case false:
                    return false;
                case null:
                    Fill();
                    break;
            }
        }
    }

    /// <summary>True: a record was read; false: the answer is over; null: more bytes are needed.</summary>
    private bool? Step()
    {
        if (_phase == Phase.Done)
            return false;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        while (true)
        {
            var (consumed, state) = (reader.BytesConsumed, reader.CurrentState);
            if (!reader.Read())
                return Pause(ref reader, reader.BytesConsumed, reader.CurrentState);
            switch (_phase)
            {
                case Phase.Start:
                    if (reader.TokenType == JsonTokenType.StartObject)
                        _phase = Phase.Root;
                    else if (reader.TokenType == JsonTokenType.StartArray)
                        (_phase, _bareArray, HasData) = (Phase.Data, true, true);
                    else
                        throw new InvalidDataException("Neither a JSON object nor an array.");
                    break;
                case Phase.Root when reader.TokenType == JsonTokenType.EndObject:
                    _phase = Phase.Done;
                    Commit(ref reader);
                    return false;
                case Phase.Root when reader.TokenType == JsonTokenType.PropertyName:
                    var name = reader.GetString();
                    var value = reader;
                    if (!value.Read())
                        return Pause(ref reader, consumed, state);
                    reader = value;
                    if (name == "data" && reader.TokenType == JsonTokenType.StartArray)
                        (_phase, HasData) = (Phase.Data, true);
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        (_phase, _afterSkip, _skipDepth) = (Phase.Skip, Phase.Root, reader.CurrentDepth);
                    else if (name == "error")
                        Error = Scalar(ref reader);
                    else if (name is "message" or "Message")
                        Message = Scalar(ref reader);
                    else if (name is "statusCode" or "StatusCode")
                        StatusCode = Scalar(ref reader);
                    break;
                case Phase.Data when reader.TokenType == JsonTokenType.EndArray:
                    _phase = _bareArray ? Phase.Done : Phase.Root;
                    if (_bareArray)
                    {
                        Commit(ref reader);
                        return false;
                    }
                    break;
                case Phase.Data when reader.TokenType == JsonTokenType.StartObject:
                    var whole = reader;
                    if (!whole.TrySkip())
                        return Pause(ref reader, consumed, state, record: true);
                    Record(ref reader);
                    Commit(ref reader);
                    return true;
                case Phase.Data when reader.TokenType == JsonTokenType.StartArray:
                    (_phase, _afterSkip, _skipDepth) = (Phase.Skip, Phase.Data, reader.CurrentDepth);
                    break;
                case Phase.Skip when reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == _skipDepth:
                    _phase = _afterSkip;
                    break;
            }
        }
    }

    /// <summary>Keeps what was read up to a whole token; the rest is read again once more bytes are in.</summary>
    private bool? Pause(ref Utf8JsonReader reader, long consumed, JsonReaderState state, bool record = false)
    {
        if (_eof)
            throw new InvalidDataException("The JSON ends before it is closed.");
        if (record && consumed == 0 && _end - _start >= MaxRecordBytes)
            throw new InvalidDataException($"A record of more than {MaxRecordBytes / 1024} KB: not a Comtrade record.");
        _start += (int)consumed;
        _state = state;
        return null;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            (_end, _start) = (_end - _start, 0);
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= 2 * MaxRecordBytes)
                throw new InvalidDataException($"A JSON value of more than {MaxRecordBytes / 1024} KB where a Comtrade record was expected.");
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _eof = true;
        _end += read;
    }

    /// <summary>One record, whole in the buffer: its fields by name, the others passed over.</summary>
    private void Record(ref Utf8JsonReader reader)
    {
        Array.Clear(_values);
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
                continue;
            var known = Fields.TryGetValue(ComtradeLayouts.Normalise(reader.GetString()), out var field);
            reader.Read();
            var value = Scalar(ref reader);
            if (known && _values[field] is null)
                _values[field] = value;
        }
    }

    /// <summary>A value as text: strings as they are, numbers exactly as written, true/false, null as nothing; objects and arrays passed over.</summary>
    private static string? Scalar(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.TrySkip(); // whole in the buffer: a record is read only once all of it is in
                return null;
            default:
                return null;
        }
    }
}
