using System.Globalization;
using DhcpSharp.Server.Configuration;
using Npgsql;

namespace DhcpSharp.PostgreSql;

/// <summary>
/// The libpq connection URI that psql accepts —
/// <c>postgresql://[user[:password]@][host[:port][,…]][/database][?param=value&amp;…]</c>, with
/// <c>?host=/socket/dir</c> for a Unix socket and the usual parameters (sslmode, passfile,
/// connect_timeout, application_name …) — turned into Npgsql's connection string. A password
/// not in the URI comes, as with libpq, from PGPASSWORD or the password file (~/.pgpass,
/// PGPASSFILE), which Npgsql reads itself.
/// </summary>
public static class PostgreSqlConnectionUri
{
    private const string Key = "leaseFile";

    public static bool IsPostgreSqlUri(string location) =>
        location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    public static NpgsqlConnectionStringBuilder Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!IsPostgreSqlUri(uri))
        {
            throw new ConfigurationException(Key, "a PostgreSQL lease store is a postgresql:// URI");
        }

        string rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        string query = "";
        int question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            query = rest[(question + 1)..];
            rest = rest[..question];
        }

        string database = "";
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            database = Decode(rest[(slash + 1)..]);
            rest = rest[..slash];
        }

        var builder = new NpgsqlConnectionStringBuilder();
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            string user = rest[..at];
            int colon = user.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Decode(colon >= 0 ? user[..colon] : user);
            if (colon >= 0)
            {
                builder.Password = Decode(user[(colon + 1)..]);
            }

            rest = rest[(at + 1)..];
        }

        if (rest.Length > 0)
        {
            SetHosts(builder, rest);
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Decode(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            Apply(builder, name, value);
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            // libpq's default: the local socket directory.
            builder.Host = "/var/run/postgresql";
        }

        return builder;
    }

    /// <summary>Hosts "a:1,b:2" or "[::1]:5432": Npgsql takes the same list in its Host key.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
    {
        var list = new List<string>();
        foreach (string host in hosts.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = host;
            string? port = null;
            if (host.StartsWith('['))
            {
                int close = host.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new ConfigurationException(Key, $"\"{host}\" is not a valid host (an IPv6 address needs a closing ']')");
                }

                name = host[1..close];
                port = close + 1 < host.Length && host[close + 1] == ':' ? host[(close + 2)..] : null;
            }
            else if (host.LastIndexOf(':') is int colon and >= 0)
            {
                name = host[..colon];
                port = host[(colon + 1)..];
            }

            name = Decode(name);
            if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535))
            {
                throw new ConfigurationException(Key, $"\"{port}\" is not a port (1-65535)");
            }

            list.Add(port is null ? name : $"{name}:{port}");
        }

        builder.Host = string.Join(',', list);
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        switch (name)
        {
            case "host":
                builder.Host = value;
                break;
            case "port":
                builder.Port = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535
                    ? port
                    : throw new ConfigurationException(Key, $"port \"{value}\" is not a port (1-65535)");
                break;
            case "dbname":
                builder.Database = value;
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "passfile":
                builder.Passfile = value;
                break;
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new ConfigurationException(Key, $"sslmode \"{value}\" is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
                    ? seconds
                    : throw new ConfigurationException(Key, $"connect_timeout \"{value}\" is not a number of seconds");
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "target_session_attrs":
                builder.TargetSessionAttributes = value;
                break;
            default:
                throw new ConfigurationException(Key, $"the PostgreSQL URI parameter \"{name}\" is not supported (host, port, dbname, user, password, passfile, sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name, target_session_attrs)");
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text);
}
