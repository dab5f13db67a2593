import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { AccessPolicy, L402Requirement } from './access-policy';

/** Metadata keys read by the AccessGuard. Decorators stack: scopes + l402 on one handler means `both`. */
export const PUBLIC_KEY = 'satgate:public';
export const ADMIN_KEY = 'satgate:admin';
export const SCOPES_KEY = 'satgate:scopes';
export const L402_KEY = 'satgate:l402';
export const EITHER_KEY = 'satgate:either';

/** OpenAPI security scheme names, registered once in the document builder. */
export const OPENAPI_SCHEMES = { admin: 'admin', oauth: 'oauth2', l402: 'L402' } as const;

/** Explicit opt-out from access control. A route with no policy at all is denied (deny by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** Requires `Authorization: Bearer <ADMIN_TOKEN>`. */
export const AdminOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ADMIN_KEY, true), ApiBearerAuth(OPENAPI_SCHEMES.admin));

/** Requires an OAuth access token holding every listed scope. */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(SCOPES_KEY, scopes), ApiSecurity(OPENAPI_SCHEMES.oauth, scopes));

/** Requires a paid L402 for this resource. Stacked with @RequireScopes it means `both`. */
export const RequireL402 = (requirement: L402Requirement): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(L402_KEY, requirement), ApiSecurity(OPENAPI_SCHEMES.l402));

/** Policy pieces for @RequireEither. */
export const scopes = (...names: string[]): { scopes: string[] } => ({ scopes: names });
export const l402 = (requirement: L402Requirement): { l402: L402Requirement } => ({ l402: requirement });

/** Either an OAuth scope or a paid L402 lets the caller through. */
export const RequireEither = (
  oauth: { scopes: string[] },
  paid: { l402: L402Requirement },
): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(EITHER_KEY, { mode: 'either', scopes: oauth.scopes, l402: paid.l402 } satisfies AccessPolicy),
    ApiSecurity(OPENAPI_SCHEMES.oauth, oauth.scopes),
    ApiSecurity(OPENAPI_SCHEMES.l402),
  );
