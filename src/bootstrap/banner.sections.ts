import type { BannerSection } from './banner';
import type { RunningSatgate } from './satgate';

/** Each feature contributes banner lines (demo credentials, curl steps) here. */
export const BANNER_SECTIONS: Array<(satgate: RunningSatgate) => Promise<BannerSection[]>> = [];
