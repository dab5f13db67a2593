import type { ServerWritableStream } from '@grpc/grpc-js';
import type { PaymentRouter } from './payment.router';
import type { RegtestNode } from './regtest.node';

/** A decoded request message (proto-loader objects: int64 as strings, bytes as Buffers). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RpcRequest = Record<string, any>;

/** The macaroon permission an RPC requires (LND's per-method entity/action). */
export interface RpcPermission {
  entity: string;
  action: 'read' | 'write';
}

/** What every handler of a node's server can reach. */
export interface RpcContext {
  node: RegtestNode;
  router: PaymentRouter;
}

/** A unary RPC: resolves with the response message or throws an RpcError. */
export interface UnaryRpc {
  kind: 'unary';
  permission: RpcPermission;
  handle(req: RpcRequest, ctx: RpcContext): unknown;
}

/** A server-streaming RPC: writes to the call and ends it, or throws an RpcError before writing. */
export interface StreamRpc {
  kind: 'stream';
  permission: RpcPermission;
  handle(req: RpcRequest, call: ServerWritableStream<RpcRequest, unknown>, ctx: RpcContext): void | Promise<void>;
}

/** The handlers of one gRPC service, keyed by method name as in the .proto file. */
export type ServiceRpcs = Record<string, UnaryRpc | StreamRpc>;

/** Shorthands for the permission table. */
export const read = (entity: string): RpcPermission => ({ entity, action: 'read' });
export const write = (entity: string): RpcPermission => ({ entity, action: 'write' });

/** Reads an int64/uint64 field that proto-loader delivers as a decimal string. */
export function int(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** Reads a bytes field, tolerating absent values. */
export function bytes(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
}
