// Ports on this machine for the servers we start (the site, a scratch PostgreSQL): checked
// free before a server is started there, never guessed.
import net from 'node:net';

/** A port on `host` that nothing listened on a moment ago (the OS's choice). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject).listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Throws, naming the port, when something listens on host:port already (found by listening there a moment). */
export function ensurePortFree(port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is in use: another server listens there`) : e));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
