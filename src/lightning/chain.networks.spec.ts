import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainNetworkOf } from './chain.networks';

describe('chainNetworkOf', () => {
  it('maps each chain hash as getWalletInfo lists it (wire byte order) to the node network and BOLT 11 name', () => {
    const table: Array<[string, string, string]> = [
      ['6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000', 'mainnet', 'bitcoin'],
      ['43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000', 'testnet', 'testnet'],
      ['43f08bdab050e35b567c864b91f47f50ae725ae2de53bcfbbaf284da00000000', 'testnet4', 'testnet'],
      ['f61eee3b63a380a477a063af32b2bbc97c9ff9f01f2c4225e973988108000000', 'signet', 'signet'],
      // What the regtest network (and a real regtest LND) reports.
      ['06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f', 'regtest', 'regtest'],
    ];
    for (const [chain, network, bolt11] of table) {
      assert.deepEqual(chainNetworkOf(chain), { network, bolt11 }, chain);
      assert.deepEqual(chainNetworkOf(chain.toUpperCase()), { network, bolt11 }, 'hex case does not matter');
    }
  });

  it('knows nothing of other chains, explorer-order hashes or garbage', () => {
    assert.equal(chainNetworkOf('0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206'), undefined);
    assert.equal(chainNetworkOf('ab'.repeat(32)), undefined);
    assert.equal(chainNetworkOf('06226e46'), undefined);
    assert.equal(chainNetworkOf(''), undefined);
  });
});
