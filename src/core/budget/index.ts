/** Public surface of the framework-free budget core (spending limits of `payments:send` grants). */
export * from './period';
export * from './fee-reserve';
export * from './budget-view';
export * from './budget-words';
export * from './budget-request';
export * from './budget-policy';
export * from './spend-amount';
export * from './errors';
