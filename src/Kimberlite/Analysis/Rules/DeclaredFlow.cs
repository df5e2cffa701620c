namespace Kimberlite.Analysis.Rules;

/// <summary>
/// One flow (exports or imports) of a reporter's year on UN Comtrade: its total with the world where its file
/// gives one (every partner, areas not specified included), else the sum over its partner countries.
/// </summary>
internal struct DeclaredFlow
{
    private DeclaredSum _world, _partners;

    public void Add(TradeTotal total, bool world)
    {
        if (world)
            _world.Add(total);
        else
            _partners.Add(total);
    }

    public readonly DeclaredSum Declared() => _world.Totals > 0 ? _world : _partners;
}

/// <summary>Totals added up, carats and US$, each marked unknown when one total lacks it; the dataset cited is the latest.</summary>
internal struct DeclaredSum
{
    public decimal Carats, Usd;
    public int Totals, DatasetId;
    public bool Uncounted, UsdUnknown;

    public void Add(TradeTotal total)
    {
        Totals++;
        DatasetId = Math.Max(DatasetId, total.DatasetId);
        if (total.Carats is { } carats)
            Carats += carats;
        else
            Uncounted = true;
        if (total.Usd is { } usd)
            Usd += usd;
        else
            UsdUnknown = true;
    }
}
