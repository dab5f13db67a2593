/**
 * Which Bitcoin network a Lightning node runs on, from the chain hash its GetInfo reports. One table for the
 * whole code base: the server's health report and the paying client's "is this invoice for my node's
 * network?" check must never disagree about a chain.
 */

/** A node's network as satgate reports it (health, logs). */
export type ChainNetwork = 'mainnet' | 'testnet' | 'testnet4' | 'signet' | 'regtest';

/** What satgate knows about one chain. */
export interface ChainEntry {
  network: ChainNetwork;
  /** The `invoices` package's name for the network's BOLT 11 prefix (testnet3 and testnet4 both use `tb`). */
  bolt11: 'bitcoin' | 'testnet' | 'signet' | 'regtest';
}

/** Genesis block hashes in the usual (block explorer, big-endian) notation. */
const GENESIS: Record<string, ChainEntry> = {
  '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f': { network: 'mainnet', bolt11: 'bitcoin' },
  '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943': { network: 'testnet', bolt11: 'testnet' },
  '00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043': { network: 'testnet4', bolt11: 'testnet' },
  '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6': { network: 'signet', bolt11: 'signet' },
  '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206': { network: 'regtest', bolt11: 'regtest' },
};

/**
 * The network of a chain as the `lightning` package's getWalletInfo lists it in `chains` — the genesis hash
 * in wire (reversed) byte order — or undefined for a chain this table does not know.
 */
export function chainNetworkOf(chain: string): ChainEntry | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(chain)) return undefined;
  return GENESIS[Buffer.from(chain, 'hex').reverse().toString('hex')];
}
