// The page's side of the worker RPC: `call('dossier.companies')` resolves to the core's value or rejects
// with the core's error object ({ code, message, userMessage, issues }).
import type { Api, Method, Request, Response } from './api';
import type { CoreError, Ready } from './types';

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

// The page's query (`?now=…&storage=…&demo`) goes along as the worker's name: the worker opens the
// database as soon as it starts instead of waiting for the page's first message.
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: location.search });
const pending = new Map<number, Pending>();
let next = 1;

worker.onmessage = (event: MessageEvent<Response>) => {
  const r = event.data;
  const p = pending.get(r.id);
  if (!p) return;
  pending.delete(r.id);
  if (r.ok) p.resolve(r.value);
  else p.reject(r.error);
};
worker.onerror = (event) => {
  const error: CoreError = { code: 'internal', message: event.message, userMessage: '应用加载失败，请刷新页面。', issues: [] };
  for (const p of pending.values()) p.reject(error);
  pending.clear();
};

// Ending the worker with the page releases its OPFS access handles at once, so the next page (a reload)
// can open the database without waiting for the old worker to be collected.
addEventListener('pagehide', () => worker.terminate());

type Body = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function send(body: Body): Promise<unknown> {
  const id = next++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...body, id });
  });
}

export function open(fixedNow: string | null, storage: 'auto' | 'indexeddb' | 'memory', demo: boolean): Promise<Ready> {
  return send({ kind: 'open', fixedNow, storage, demo }) as Promise<Ready>;
}

/** Loads the dictionary and builds the search index (call after the first screen). */
export function warm(): Promise<Record<string, number>> {
  return send({ kind: 'warm' }) as Promise<Record<string, number>>;
}

export function call<M extends Method>(method: M, ...args: Parameters<Api[M]>): Promise<Awaited<ReturnType<Api[M]>>> {
  return send({ kind: 'call', method, args }) as Promise<Awaited<ReturnType<Api[M]>>>;
}

export function isCoreError(e: unknown): e is CoreError {
  return typeof e === 'object' && e !== null && 'code' in e && 'userMessage' in e;
}
