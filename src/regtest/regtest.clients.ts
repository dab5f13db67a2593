import { readFileSync } from 'node:fs';
import { type AuthenticatedLnd, authenticatedLndGrpc } from 'lightning';
import type { RegtestNodeInfo } from './network';

/** Which of a node's credential files to connect with. */
export type NodeRole = 'admin' | 'invoice' | 'readonly';

/** A `lightning` client (the package's `lnd` object) plus a close() that releases its gRPC channels. */
export interface LndClient {
  lnd: AuthenticatedLnd;
  close(): void;
}

/**
 * Opens a `lightning` client on a regtest node with one of its macaroons — what integration tests and
 * tools use to talk to the network exactly as satgate does. `overrides` swap in other credential files
 * (e.g. another node's certificate) to exercise failures.
 */
export function lndClient(
  node: RegtestNodeInfo,
  role: NodeRole = 'admin',
  overrides: { socket?: string; certPath?: string; macaroonPath?: string | null } = {},
): LndClient {
  const macaroonPath =
    overrides.macaroonPath === null
      ? undefined
      : (overrides.macaroonPath ??
        { admin: node.adminMacaroonPath, invoice: node.invoiceMacaroonPath, readonly: node.readonlyMacaroonPath }[role]);
  const { lnd } = authenticatedLndGrpc({
    socket: overrides.socket ?? node.socket,
    cert: readFileSync(overrides.certPath ?? node.certPath).toString('base64'),
    macaroon: macaroonPath ? readFileSync(macaroonPath).toString('hex') : undefined,
  });
  return { lnd, close: () => closeLnd(lnd) };
}

/** Closes every gRPC client of a `lightning` lnd object (each service holds its own channel). */
export function closeLnd(lnd: AuthenticatedLnd): void {
  for (const client of Object.values(lnd as Record<string, { close?: () => void }>)) client?.close?.();
}
