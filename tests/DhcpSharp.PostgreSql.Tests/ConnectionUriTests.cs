using DhcpSharp.PostgreSql;
using DhcpSharp.Server.Configuration;
using Npgsql;

namespace DhcpSharp.PostgreSql.Tests;

/// <summary>The libpq URI psql accepts, as --leases takes it.</summary>
public class ConnectionUriTests
{
    [Fact]
    public void User_password_host_port_and_database_are_read_and_percent_decoded()
    {
        var builder = PostgreSqlConnectionUri.Parse("postgresql://dhcp:p%40ss%3Aword@db.example:6432/leases");
        Assert.Equal("dhcp", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal("db.example:6432", builder.Host);
        Assert.Equal("leases", builder.Database);
    }

    [Fact]
    public void A_socket_directory_comes_from_the_host_parameter_and_parameters_map_to_npgsql()
    {
        var builder = PostgreSqlConnectionUri.Parse("postgres:///leases?host=/run/pg&port=5433&sslmode=require&connect_timeout=7&application_name=dhcp1&passfile=/etc/dhcpsharp/pgpass");
        Assert.Equal("/run/pg", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(7, builder.Timeout);
        Assert.Equal("dhcp1", builder.ApplicationName);
        Assert.Equal("/etc/dhcpsharp/pgpass", builder.Passfile);
        Assert.Null(builder.Password); // from PGPASSWORD or the password file, as libpq does
    }

    [Fact]
    public void Several_hosts_and_an_ipv6_literal_are_kept_as_npgsql_host_lists()
    {
        Assert.Equal("::1:5432,db2", PostgreSqlConnectionUri.Parse("postgresql://u@[::1]:5432,db2/x").Host);
        Assert.Equal("/var/run/postgresql", PostgreSqlConnectionUri.Parse("postgresql://u@/x").Host);
    }

    [Theory]
    [InlineData("postgresql://u@h/x?sslmode=sometimes", "sslmode")]
    [InlineData("postgresql://u@h/x?colour=blue", "\"colour\" is not supported")]
    [InlineData("postgresql://u@h:99999/x", "not a port")]
    [InlineData("postgresql://u@[::1/x", "closing ']'")]
    public void Bad_uris_are_refused_with_the_key_and_the_reason(string uri, string reason)
    {
        var error = Assert.Throws<ConfigurationException>(() => PostgreSqlConnectionUri.Parse(uri));
        Assert.Equal("leaseFile", error.Key);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }
}
