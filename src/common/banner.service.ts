import { Injectable, Module } from '@nestjs/common';

/** Lines a feature adds to the start-up banner (demo credentials, curl examples). */
export type BannerSection = { title: string; lines: string[] };

/**
 * Features add their demo lines (credentials, curl steps) here from onApplicationBootstrap; main.ts prints
 * them in the banner after listening. The only path by which secrets reach the console.
 */
@Injectable()
export class BannerService {
  private readonly sections: Array<{ order: number; build: () => BannerSection | Promise<BannerSection> }> = [];

  /** `order` sorts sections (lower first); `build` runs after the server listens, so URLs are final. */
  add(order: number, build: () => BannerSection | Promise<BannerSection>): void {
    this.sections.push({ order, build });
  }

  async render(): Promise<BannerSection[]> {
    const sorted = [...this.sections].sort((a, b) => a.order - b.order);
    return Promise.all(sorted.map((s) => s.build()));
  }
}

/** Provides the one BannerService; features that contribute banner lines import it (no start-up code needed). */
@Module({ providers: [BannerService], exports: [BannerService] })
export class BannerModule {}
