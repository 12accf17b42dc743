using System.Net;
using System.Net.Sockets;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>Free loopback ports so that each test instance runs beside any other Asterisk.</summary>
public static class FreePorts
{
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int Udp(string address = "127.0.0.1")
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }
}
