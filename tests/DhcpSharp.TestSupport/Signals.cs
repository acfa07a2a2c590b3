namespace DhcpSharp.TestSupport;

/// <summary>The Linux signal numbers the tests send, and kill(2) by PID.</summary>
public static class Signals
{
    public const int Hangup = 1;
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int User1 = 10;
    public const int User2 = 12;
    public const int Terminate = 15;

    /// <summary>kill(2); a negative PID is a process group. A process that is already gone is not an error.</summary>
    public static void Send(int pid, int signal) => NativeMethods.Kill(pid, signal);
}
