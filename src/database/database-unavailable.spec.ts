import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDatabaseUnavailable } from './database-unavailable';

describe('isDatabaseUnavailable', () => {
  it('recognises refused, reset and timed-out sockets, also wrapped by TypeORM', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    assert.equal(isDatabaseUnavailable(refused), true);
    assert.equal(isDatabaseUnavailable({ message: 'query failed', driverError: { code: 'ECONNRESET' } }), true);
    assert.equal(isDatabaseUnavailable(new AggregateError([refused, refused], '')), true);
  });

  it('recognises a server shutting down, class 08 and pool timeouts', () => {
    assert.equal(isDatabaseUnavailable({ code: '57P01', message: 'terminating connection due to administrator command' }), true);
    assert.equal(isDatabaseUnavailable({ code: '08006' }), true);
    assert.equal(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect')), true);
    assert.equal(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')), true);
  });

  it('leaves query errors and bugs alone', () => {
    assert.equal(isDatabaseUnavailable({ code: '23505', message: 'duplicate key value violates unique constraint' }), false);
    assert.equal(isDatabaseUnavailable({ code: '22P02' }), false);
    assert.equal(isDatabaseUnavailable(new TypeError('x is undefined')), false);
    assert.equal(isDatabaseUnavailable(undefined), false);
  });
});
