import assert from 'node:assert/strict';
import type { Reply } from './agent.ts';

/** The seed's answer shape: a status, Content-Type application/json, a JSON string body. */
export function expectJson(reply: Reply, status: number, message: string): void {
  assert.deepEqual(
    { status: reply.status, type: reply.type, body: reply.body },
    { status, type: 'application/json', body: JSON.stringify(message) },
  );
}

export function expectHtml(reply: Reply, status = 200): void {
  assert.deepEqual({ status: reply.status, type: reply.type }, { status, type: 'text/html' });
}
