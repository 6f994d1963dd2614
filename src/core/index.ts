export * from './clock.js';
export * from './config.js';
export * from './errors.js';
