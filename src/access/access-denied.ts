/**
 * A refusal the guard renders exactly: status, headers (`WWW-Authenticate` may repeat) and JSON body.
 * Every guard path ends in one of these or lets the request through, so the wire format lives in one place.
 */
export class AccessDenied extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Array<[string, string]> = [],
  ) {
    super(`access denied (${status})`);
    this.name = 'AccessDenied';
  }
}
