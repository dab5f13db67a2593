/** `404 {"error":"not_found"}` for an unknown client id in the admin API (rendered by the one ErrorFilter). */
export class ClientNotFound extends Error {
  readonly status = 404;
  constructor(readonly clientId: string) {
    super('no client with this id');
    this.name = 'ClientNotFound';
  }
  toBody(): Record<string, unknown> {
    return { error: 'not_found', error_description: 'no client with this id' };
  }
}
