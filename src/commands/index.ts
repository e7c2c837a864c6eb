export { createCommandHandler } from './handler.js';
export type { CommandServices, CycleSummary } from './services.js';
export * from './types.js';
