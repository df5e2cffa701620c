using System.Runtime.InteropServices;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// SQLite's own functions, called without SQLitePCL's per-call wrapping, which costs more than the work
/// itself when millions of values go by. The library is the one Microsoft.Data.Sqlite already loaded;
/// statements come from SQLitePCL (<c>DangerousGetHandle</c>) and are used on one thread at a time.
/// </summary>
internal static unsafe partial class SqliteNative
{
    /// <summary>
    /// Asks SQLite, before its first connection opens, not to lock a connection around every call: ADO.NET
    /// never shares a connection between threads at once, and the locks cost a quarter of a bulk insert
    /// (docs/decisions/011-import-in-one-pass.md). Once SQLite has started, the mode stays as it is.
    /// </summary>
    public static void UseMultiThreadMode()
    {
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_bind_null"), SuppressGCTransition]
    public static partial int BindNull(IntPtr statement, int index);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_bind_int64"), SuppressGCTransition]
    public static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_bind_text"), SuppressGCTransition]
    public static partial int BindText(IntPtr statement, int index, byte* text, int length, IntPtr destructor);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr statement);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_reset")]
    public static partial int Reset(IntPtr statement);
}
