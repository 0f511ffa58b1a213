/**
 * The page's Web Worker: holds the person's data and does all the work (reading files, deciding
 * outcomes, pricing, exports) off the page's thread, so the page stays responsive and shows
 * progress. It makes no network request: files arrive as `File` objects from the page.
 * @module
 */
import { handle } from './handlers.js';
import type { Reply, Request } from './protocol.js';
import { Session } from './session.js';

declare const __RECOVERY_PBR_VERSION__: string;

interface WorkerScope {
  postMessage(message: Reply): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<Request>) => void): void;
}

const scope = self as unknown as WorkerScope;
const session = new Session({ name: 'recovery-pbr', version: __RECOVERY_PBR_VERSION__ });

// One request at a time, in the order sent: a later request may rely on an earlier load.
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (e) => {
  const request = e.data;
  queue = queue.then(async () => {
    const reply = await handle(session, request, (m) => scope.postMessage(m));
    scope.postMessage(reply);
  });
});
