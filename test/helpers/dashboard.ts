import { request, type Server } from 'node:http';
import { dashboardServer } from '../../src/server/serve.js';

/** The dashboard's server over `root` on a free loopback port; close it with server.close(). */
export async function startDashboard(root: string): Promise<{ server: Server; url: string }> {
  const server = dashboardServer(root);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

export async function stopDashboard(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A request sent with its path exactly as written (fetch and URL would normalise `..` away). */
export function rawGet(url: string, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
