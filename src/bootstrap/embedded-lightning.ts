import type { LndCredentials } from '../config/config.types';

/** The regtest network as the runtime uses it: merchant credentials through LND's normal config path. */
export interface EmbeddedLightning {
  dir: string;
  merchant: LndCredentials;
  stop(): Promise<void>;
}

/** Seam for the regtest network (src/regtest); filled in when that module lands. */
export async function startEmbeddedLightning(_dataDir: string): Promise<EmbeddedLightning | undefined> {
  return undefined;
}
