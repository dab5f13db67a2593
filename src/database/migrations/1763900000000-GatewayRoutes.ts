import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Gateway routes: the route table the gateway caches in memory and the admin API manages. */
export class GatewayRoutes1763900000000 implements MigrationInterface {
  name = 'GatewayRoutes1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gateway_routes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" varchar(64) NOT NULL,
        "methods" text[] NOT NULL DEFAULT '{}',
        "path" varchar(512) NOT NULL,
        "host" varchar(255),
        "origin" varchar(2048) NOT NULL,
        "rewrite" varchar(512),
        "mode" varchar(16) NOT NULL,
        "scopes" text[] NOT NULL DEFAULT '{}',
        "price" integer,
        "lifetime" integer,
        "service" varchar(64),
        "tier" integer,
        "capabilities" text[] NOT NULL DEFAULT '{}',
        "capability" varchar(64),
        "timeout_ms" integer,
        "enabled" boolean NOT NULL DEFAULT true,
        "position" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "gateway_routes_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "gateway_routes_name_key" UNIQUE ("name"),
        CONSTRAINT "gateway_routes_mode_check" CHECK ("mode" IN ('none', 'oauth', 'l402', 'both', 'either')),
        CONSTRAINT "gateway_routes_price_check" CHECK ("price" IS NULL OR "price" > 0)
      )`);
    await queryRunner.query(`CREATE INDEX "gateway_routes_position_idx" ON "gateway_routes" ("position")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gateway_routes"`);
  }
}
