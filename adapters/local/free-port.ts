import net from 'node:net';

/** Resolves with `preferredPort` if free, else with a port the OS picks. */
export async function findFreePort(
  host: string,
  preferredPort = 0,
): Promise<number> {
  if (preferredPort > 0 && (await canListen(host, preferredPort))) {
    return preferredPort;
  }
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
