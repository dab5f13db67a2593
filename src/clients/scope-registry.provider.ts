import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { ScopeRegistry } from '../core/oauth';

/**
 * The deployment's one ScopeRegistry (Alby's table plus EXTRA_SCOPES), injectable by its class. Built once at
 * boot so a bad configured scope fails the start, not a request.
 */
export const scopeRegistryProvider: Provider = {
  provide: ScopeRegistry,
  useFactory: (config: RuntimeConfig) => new ScopeRegistry(config.extraScopes),
  inject: [APP_CONFIG],
};
