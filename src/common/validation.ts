import { ValidationError, ValidationPipe } from '@nestjs/common';

/** A DTO validation failure in the OAuth error shape, naming the first failing field. */
export class InvalidInput extends Error {
  readonly status = 400;
  constructor(readonly field: string, readonly description: string) {
    super(description);
    this.name = 'InvalidInput';
  }
  toBody(): Record<string, unknown> {
    return { error: 'invalid_request', error_description: this.description, field: this.field };
  }
}

/**
 * Which failed constraint to report: presence, then type, then the rest. class-validator lists constraints in
 * reverse decorator order, so the first one is often a length check that only confuses ("name must be
 * shorter than 200 characters" for a missing name).
 */
const CONSTRAINT_PRIORITY = [
  'whitelistValidation', 'isDefined', 'isNotEmpty', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray',
  'isObject', 'isEnum', 'isIn', 'isUrl', 'isUUID', 'matches',
];

function mostUseful(constraints: Record<string, string>): string | undefined {
  for (const name of CONSTRAINT_PRIORITY) if (constraints[name]) return constraints[name];
  const all = Object.values(constraints);
  return all[all.length - 1];
}

function firstProblem(errors: ValidationError[], prefix = ''): { field: string; message: string } {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const msg = e.constraints ? mostUseful(e.constraints) : undefined;
    if (msg) return { field, message: msg };
    if (e.children?.length) return firstProblem(e.children, field);
  }
  return { field: prefix || 'body', message: 'invalid input' };
}

/** Global pipe: whitelist DTO fields, refuse unknown ones, transform types; errors name the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const { field, message } = firstProblem(errors);
      return new InvalidInput(field, message);
    },
  });
}
