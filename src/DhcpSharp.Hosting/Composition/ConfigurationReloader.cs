using DhcpSharp.Boot.Policy;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Engine;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Composition;

/// <summary>
/// Applies new settings to the running process. What can change live changes atomically: the
/// DHCP rules (subnets, pools, classes, options, lease times: one swap of the engine's scope and
/// the lease manager's plan, with leases, offers and event subscribers kept) and the boot rules
/// (one swap of the policy). What cannot (interfaces, ports, the lease store, turning DHCP or
/// network boot on or off, the boot root …) is named in the log and waits for a restart.
/// </summary>
public sealed class ConfigurationReloader(
    DhcpSharpSettingsHolder settings,
    DhcpSharpHostOptions hostOptions,
    ILogger<ConfigurationReloader> logger,
    DhcpServerEngine? engine = null,
    BootPolicyHolder? policy = null) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Reads the settings source again and applies it; false when refused (the running configuration stays).</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        if (hostOptions.SettingsSource is not { } source)
        {
            HostingLog.ReloadSkipped(logger, "no configuration file to read again");
            return false;
        }

        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Apply(source());
        }
        catch (ConfigurationException e)
        {
            HostingLog.ReloadRefused(logger, e.Message);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false; // shutting down
        }
        catch (Exception e)
        {
            HostingLog.ReloadFailed(logger, e);
            return false;
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();

    /// <summary>Applies <paramref name="next"/>: the live parts now, the rest logged as waiting for a restart.</summary>
    public bool Apply(DhcpSharpSettings next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var current = settings.Current;
        foreach (var setting in ReloadDifferences.NotLive(current, next, engine is not null))
        {
            HostingLog.NotAppliedLive(logger, setting);
        }

        var applied = current;
        if (engine is not null && next.Dhcp.Subnets.Count > 0)
        {
            engine.Reconfigure(next.Dhcp);
            applied = applied with { Dhcp = next.Dhcp };
        }

        if (policy is not null && current.Boot is { } boot && next.Boot is { } nextBoot)
        {
            policy.Current = new BootPolicy(BootRules.For(nextBoot), hostOptions.BootCallback);
            applied = applied with { Boot = boot with { Rules = nextBoot.Rules, DefaultRules = nextBoot.DefaultRules, Overrides = nextBoot.Overrides } };
        }

        settings.Current = applied;
        HostingLog.Reloaded(logger);
        return true;
    }
}
