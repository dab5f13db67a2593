import { dirname, join } from 'node:path';
import {
  type Metadata,
  type sendUnaryData,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  loadPackageDefinition,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { allows, MacaroonRejected } from './lnd.macaroon';
import { invoicesRpcs, routerRpcs } from './router.rpc';
import { lightningRpcs } from './lightning.rpc';
import { LND_ERRORS, RpcError } from './rpc.errors';
import type { RpcContext, RpcRequest, ServiceRpcs } from './rpc.types';
import type { TlsIdentity } from './tls.cert';

/** proto-loader options identical to the `lightning` package's (lnd_grpc/grpc_options.js). */
const PROTO_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

interface LndServices {
  lightning: ServiceDefinition;
  invoices: ServiceDefinition;
  router: ServiceDefinition;
}

let services: LndServices | undefined;

/** LND's own service definitions, from the .proto files the `lightning` client ships (loaded once). */
function lndServices(): LndServices {
  if (services) return services;
  const protosDir = join(dirname(require.resolve('lightning/package.json')), 'grpc', 'protos');
  const def = loadSync(['lightning.proto', 'invoices.proto', 'router.proto'], { ...PROTO_OPTIONS, includeDirs: [protosDir] });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const pkg = loadPackageDefinition(def) as any;
  services = {
    lightning: pkg.lnrpc.Lightning.service,
    invoices: pkg.invoicesrpc.Invoices.service,
    router: pkg.routerrpc.Router.service,
  };
  return services;
}

/** A running gRPC endpoint of one node. */
export interface NodeServer {
  port: number;
  /** Cancels open streams and closes the listener. */
  close(): Promise<void>;
}

/**
 * Serves LND's gRPC API for one node over TLS, checking the `macaroon` metadata of every call against the
 * node's root key and the method's required permission before the handler runs — LND's order, and LND's
 * error texts (UNKNOWN status) when the macaroon is missing, forged or lacks the permission.
 * `port` 0 (the default) asks for an ephemeral port; a fixed port that cannot be bound rejects.
 */
export async function serveNode(ctx: RpcContext, tls: TlsIdentity, host: string, port = 0): Promise<NodeServer> {
  const defs = lndServices();
  const server = new Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
  const streams = new Set<ServerWritableStream<RpcRequest, unknown>>();
  server.addService(defs.lightning, implement(lightningRpcs, ctx, streams));
  server.addService(defs.invoices, implement(invoicesRpcs, ctx, streams));
  server.addService(defs.router, implement(routerRpcs, ctx, streams));
  const creds = ServerCredentials.createSsl(null, [
    { cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) },
  ]);
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  let bound: number;
  try {
    bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, creds, (err, p) => (err ? reject(err) : resolve(p))),
    );
  } catch (err) {
    server.forceShutdown();
    throw err;
  }
  return {
    port: bound,
    close: async () => {
      for (const call of streams) if (!call.cancelled) call.end();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 500);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

function implement(
  rpcs: ServiceRpcs,
  ctx: RpcContext,
  streams: Set<ServerWritableStream<RpcRequest, unknown>>,
): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const [method, rpc] of Object.entries(rpcs)) {
    if (rpc.kind === 'unary') {
      impl[method] = (call: ServerUnaryCall<RpcRequest, unknown>, callback: sendUnaryData<unknown>) => {
        try {
          authorize(ctx, call.metadata, rpc.permission);
        } catch (err) {
          return callback(asStatus(err));
        }
        Promise.resolve()
          .then(() => rpc.handle(call.request, ctx))
          .then(
            (res) => callback(null, res),
            (err) => callback(asStatus(err)),
          );
      };
    } else {
      impl[method] = (call: ServerWritableStream<RpcRequest, unknown>) => {
        const fail = (err: unknown) => {
          if (!call.cancelled) call.emit('error', asStatus(err));
        };
        try {
          authorize(ctx, call.metadata, rpc.permission);
        } catch (err) {
          return fail(err);
        }
        streams.add(call);
        const forget = () => streams.delete(call);
        call.on('cancelled', forget);
        call.on('finish', forget);
        Promise.resolve()
          .then(() => rpc.handle(call.request, call, ctx))
          .catch((err) => {
            forget();
            fail(err);
          });
      };
    }
  }
  return impl;
}

function authorize(ctx: RpcContext, metadata: Metadata, permission: { entity: string; action: string }): void {
  const values = metadata.get('macaroon');
  if (values.length > 1) throw new MacaroonRejected(`expected 1 macaroon, got ${values.length}`);
  const hex = values.length ? String(values[0]) : undefined;
  const { ops } = ctx.node.verifier.verify(hex);
  if (!allows(ops, permission.entity, permission.action)) throw new MacaroonRejected(LND_ERRORS.permissionDenied);
}

function asStatus(err: unknown): { code: status; details: string } {
  if (err instanceof RpcError) return { code: err.code, details: err.details };
  if (err instanceof MacaroonRejected) return { code: status.UNKNOWN, details: err.message };
  return { code: status.UNKNOWN, details: err instanceof Error ? err.message : String(err) };
}
