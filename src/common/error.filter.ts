import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessDenied } from '../access/access-denied';
import { TemporarilyUnavailable } from '../core/oauth';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../database/database-unavailable';
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
 * Postgres refusals caused by the caller's input rather than by satgate: a NUL byte or invalid UTF-8
 * (22021, 22P05), a number out of range (22003), text that is not a valid value of the column's type
 * (22P02), or a value too long for its column (22001). They answer 400, never 500.
 */
const INPUT_SQLSTATES = new Set(['22021', '22P05', '22003', '22P02', '22001']);

/**
 * The one place errors become responses (docs/style.md, "Errors"): access refusals and protocol errors render their exact
 * wire form; everything else answers `{error, error_description}` with its status; anything unexpected is a
 * 500 with a generic body, its cause logged.
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
      if (status >= 500) logger.error({ reqId: req.id, err: describe(err) }, 'request failed');
      void reply.status(status).send(bodyOf(status, err.getResponse()));
      return;
    }
    if (isDatabaseUnavailable(err)) {
      logger.warn({ reqId: req.id, err: (err as Error)?.message }, 'database unavailable');
      renderDatabaseUnavailable(req, reply);
      return;
    }
    const failed = err as { driverError?: { code?: unknown }; code?: unknown } | undefined;
    const sqlState = failed?.driverError?.code ?? failed?.code;
    if (typeof sqlState === 'string' && INPUT_SQLSTATES.has(sqlState)) {
      void reply.status(400).send({
        error: 'invalid_request',
        error_description: 'a value in the request cannot be stored (a NUL byte, invalid text, or a number out of range)',
      });
      return;
    }
    const status = statusOfFrameworkError(err);
    if (status) {
      void reply.status(status).send({ error: httpErrorCode(status), error_description: frameworkErrorDescription(err, status) });
      return;
    }
    logger.error({ reqId: req.id, err: describe(err) }, 'unhandled error');
    void reply.status(500).send({ error: 'server_error', error_description: 'internal error', request_id: req.id });
  }
}

/**
 * 503 + Retry-After while the database cannot be reached. OAuth endpoints answer in their own format:
 * `temporarily_unavailable` (RFC 6749 §4.1.2.1, also used at the token endpoint's JSON error), shown
 * directly rather than redirected, since the redirect URI cannot be checked without the database.
 */
function renderDatabaseUnavailable(req: FastifyRequest, reply: FastifyReply): void {
  const description = 'the database is unreachable; retry later';
  const body = /^\/oauth(\/|$)/.test(req.url)
    ? new TemporarilyUnavailable(description).toBody()
    : { error: 'database_unavailable', error_description: description };
  void reply
    .status(503)
    .header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
    .header('Cache-Control', 'no-store')
    .send(body);
}

/** Fastify's own 4xx errors (bad JSON, body too large, unsupported media type) keep their status. */
export function statusOfFrameworkError(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

/**
 * What a client is told about a Fastify (or body parser) refusal. Not the error's own message: several quote
 * the request (`'<url>' is not a valid url component`, V8's `Unexpected token '<', "<script>"... is not
 * valid JSON`, the offending media type), and an answer must never reflect raw request input. Known codes get a
 * fixed sentence naming the part of the request at fault; others the status' reason phrase.
 */
export function frameworkErrorDescription(err: unknown, status: number): string {
  const code = (err as { code?: unknown })?.code;
  const known = typeof code === 'string' ? FRAMEWORK_DESCRIPTIONS[code] : undefined;
  if (known) return known;
  if (err instanceof SyntaxError) return 'the request body is not valid JSON';
  return (STATUS_CODES[status] ?? 'request refused').toLowerCase();
}

const FRAMEWORK_DESCRIPTIONS: Record<string, string> = {
  FST_ERR_BAD_URL: 'the request target is not a valid URL',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment of the request is too long',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'the Content-Type of the request is not accepted here',
  FST_ERR_CTP_INVALID_TYPE: 'the Content-Type header is malformed',
  FST_ERR_CTP_EMPTY_TYPE: 'the Content-Type header is empty',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is too large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the Content-Length header does not match the body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'a request with Content-Type application/json must have a body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the request body is not valid JSON',
  FST_ERR_ASYNC_CONSTRAINT: 'the request cannot be routed',
};

/** A Nest HttpException's response as `{error, error_description, ...}`, keeping any extra fields. */
function bodyOf(status: number, response: string | object): Record<string, unknown> {
  if (typeof response === 'string') return { error: httpErrorCode(status), error_description: response };
  const { message, statusCode: _statusCode, error, ...rest } = response as Record<string, unknown>;
  const ownCode = typeof error === 'string' && !/\s/.test(error) ? error : undefined; // 'Not Found' is Nest's reason phrase
  const description = Array.isArray(message) ? message.join('; ') : message;
  return { ...rest, error: ownCode ?? httpErrorCode(status), ...(description === undefined ? {} : { error_description: description }) };
}

export function httpErrorCode(status: number): string {
  return (
    { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
      409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'too_many_requests', 431: 'headers_too_large' }[status] ??
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
