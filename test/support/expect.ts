import assert from 'node:assert/strict';
import type { Reply } from './agent.ts';
import { describeExchange } from './exchange.ts';

/** The seed's answer shape: a status, Content-Type application/json, a JSON string body. */
export function expectJson(reply: Reply, status: number, message: string): void {
  const expected = { status, type: 'application/json', body: JSON.stringify(message) };
  assert.deepEqual({ status: reply.status, type: reply.type, body: reply.body }, expected, describeExchange(reply, expected));
}

export function expectHtml(reply: Reply, status = 200): void {
  const expected = { status, type: 'text/html' };
  assert.deepEqual({ status: reply.status, type: reply.type }, expected, describeExchange(reply, expected));
}
