/**
 * `recovery-pbr workbench`: serves the workbench page (issue #14, built into dist/workbench) on
 * this machine only (127.0.0.1) and prints its URL. The server hands out the page's own files and
 * nothing else: it takes GET and HEAD only, so no data can be sent to it, and the page reads the
 * person's files in the browser (it never uploads them). The same folder can be hosted as static
 * files by any web server (an intranet needs no server logic).
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { RecoveryPbrError } from '../../errors.js';
import { UsageError, type CliCommand } from '../command.js';
import { countOption } from '../shared.js';
import { packageRoot } from '../version.js';

const usage = `Usage: recovery-pbr workbench [--port <n>] [--no-open]

Serves the workbench page on this machine (http://127.0.0.1:<port>/) and opens it in your browser:
load your data files (or the demo cohort), choose and edit a scheme, see what it pays, compare an
edited tariff with the original, calibrate prices to a budget, forecast a provider's income,
explain a client, and export what the command line would write.

Your files are read inside the browser tab and never sent anywhere, not even to this server (it
only hands out the page's own files). Stop it with Ctrl-C.

Options:
  --port <n>   port to listen on (default 5177; 0 = any free port)
  --no-open    do not open a browser, just print the URL

The same page is in the package as static files (dist/workbench/): an intranet can host that
folder as it is, with no server logic.`;

/** Where the built page is: dist/workbench of the package. */
export function workbenchDir(): string {
  return join(packageRoot(), 'dist', 'workbench');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The page's content security policy, also sent as a header: nothing but the page's own files, no request elsewhere. */
export const WORKBENCH_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A running workbench server. */
export interface WorkbenchServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves a built workbench folder on 127.0.0.1 (GET and HEAD of its files only).
 * @example const s = await serveWorkbench(workbenchDir(), { port: 0 }); console.log(s.url); await s.close();
 */
export async function serveWorkbench(dir: string, options: { port?: number } = {}): Promise<WorkbenchServer> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new RecoveryPbrError(
      'input_file',
      `the workbench page is not built (no ${join(root, 'index.html')}). In a copy of the repository, run "npm run build" first; an installed package carries it built.`,
    );
  }
  const server = createServer((req, res) => {
    const headers = {
      'Content-Security-Policy': WORKBENCH_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Nothing is ever sent to this server: it only hands out the page.
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The workbench server only hands out the page; it takes no data.\n');
      req.resume();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || path.includes('\0')) {
      res.writeHead(404, headers).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found\n');
      },
    );
  });
  const port = options.port ?? 5177;
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'EADDRINUSE'
          ? new RecoveryPbrError('input_file', `port ${port} on 127.0.0.1 is in use: choose another with --port (or --port 0 for any free one)`)
          : e,
      ),
    );
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** Opens a URL in the person's browser (best effort: the URL is printed anyway). */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener here: the URL is printed.
  }
}

/** `recovery-pbr workbench`. */
export const command: CliCommand = {
  name: 'workbench',
  summary: 'the workbench page in your browser: model tariffs on your data, which never leaves this machine',
  usage,
  options: {
    port: { type: 'string' },
    'no-open': { type: 'boolean' },
  },
  async run(values, io) {
    const port = countOption(values, 'port');
    if (port !== undefined && port > 65535) throw new UsageError(`--port must be 0 to 65535 (got ${port})`);
    const dir = workbenchDir();
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new RecoveryPbrError('input_file', `${dir} is not a folder`);
    const s = await serveWorkbench(dir, { ...(port !== undefined ? { port } : {}) });
    io.stdout(`recovery-pbr workbench: ${s.url}\nYour files are read in the browser and never sent anywhere. Press Ctrl-C to stop.\n`);
    if (values['no-open'] !== true) openBrowser(s.url);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void s.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      s.server.on('close', done);
    });
    return 0;
  },
};
