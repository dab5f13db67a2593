import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessDenied } from '../access/access-denied';
import { logger } from './logger';

/** Errors that know their wire form (OAuth errors from core/oauth implement this). */
export interface WireError {
  status: number;
  toBody(): Record<string, unknown>;
  headers?(): Record<string, string>;
}

function isWireError(err: unknown): err is WireError {
  return typeof err === 'object' && err !== null && typeof (err as WireError).status === 'number' &&
    typeof (err as WireError).toBody === 'function';
}

/**
 * The one place errors become responses (STYLE.md §6): access refusals and protocol errors render their exact
 * wire form; HttpExceptions keep their status; anything else is a 500 with a generic body, its cause logged.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const req = http.getRequest<FastifyRequest>();
    if (reply.sent) return;

    if (err instanceof AccessDenied) {
      for (const [name, value] of err.headers) reply.header(name, mergeHeader(reply.getHeader(name), value));
      if (err.status === 402 || err.status === 401 || err.status === 403) reply.header('Cache-Control', 'no-store');
      void reply.status(err.status).send(err.body);
      return;
    }
    if (isWireError(err)) {
      for (const [name, value] of Object.entries(err.headers?.() ?? {})) reply.header(name, value);
      void reply.status(err.status).send(err.toBody());
      return;
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const body = err.getResponse();
      if (status >= 500) logger.error({ reqId: req.id, err: describe(err) }, 'request failed');
      void reply.status(status).send(typeof body === 'string' ? { error: httpErrorCode(status), message: body } : normalize(status, body));
      return;
    }
    const status = statusOfFrameworkError(err);
    if (status) {
      void reply.status(status).send({ error: httpErrorCode(status), message: (err as Error).message });
      return;
    }
    logger.error({ reqId: req.id, err: describe(err) }, 'unhandled error');
    void reply.status(500).send({ error: 'server_error', message: 'internal error', request_id: req.id });
  }
}

/** Fastify's own 4xx errors (bad JSON, body too large, unsupported media type) keep their status. */
function statusOfFrameworkError(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

function normalize(status: number, body: object): Record<string, unknown> {
  const b = body as Record<string, unknown>;
  if (typeof b.error === 'string' && b.error !== httpReason(status)) return b;
  return { ...b, error: httpErrorCode(status), statusCode: undefined };
}

function httpReason(status: number): string {
  return { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' }[status] ?? '';
}

function httpErrorCode(status: number): string {
  return (
    { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
      409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'too_many_requests' }[status] ??
    (status >= 500 ? 'server_error' : 'error')
  );
}

function mergeHeader(existing: unknown, value: string): string | string[] {
  if (existing === undefined) return value;
  return Array.isArray(existing) ? [...existing.map(String), value] : [String(existing), value];
}

function describe(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { value: String(err) };
}
